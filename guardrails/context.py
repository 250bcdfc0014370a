"""What the input rail knows besides the message: the question it answers and what came before."""

from __future__ import annotations

from dataclasses import dataclass

# Signals of an earlier message that make a method question a crisis (see `alone:` in the rules).
STRESSOR_SIGNAL = "stressor"
# How many of the client's earlier messages the rail reads.
RECENT_MESSAGES = 4


@dataclass(frozen=True)
class PriorMessage:
    """One of the client's earlier messages in this conversation, as the rail assessed it."""

    text: str
    level: str
    signals: tuple[str, ...] = ()

    def shows_distress(self) -> bool:
        return self.level in ("concern", "crisis") or STRESSOR_SIGNAL in self.signals


@dataclass(frozen=True)
class RiskContext:
    """The exercise slot the message answers (None outside a form) and the client's last few
    messages in the same conversation, oldest first."""

    slot: str | None = None
    exercise: str | None = None
    recent: tuple[PriorMessage, ...] = ()

    def recent_distress(self) -> bool:
        """Whether any of the last few messages showed distress, risk or a stressor."""
        return any(message.shows_distress() for message in self.recent[-RECENT_MESSAGES:])


NO_CONTEXT = RiskContext()
