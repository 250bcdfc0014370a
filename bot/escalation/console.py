"""What an on-call clinician does with an escalation, for the CLI and the web console alike.

Each function changes the escalation in the caller's session (the caller commits) and keeps
Rasa's pause in step with whether a clinician is in the chat. `rasa_told` is False when Rasa
could not be reached: the entry point catches it up on the client's next message.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.escalation.handoff import sync_rasa_pause
from bot.settings import Settings
from bot.storage.escalations import EscalationError, clinician_says, join, leave, resolve
from bot.storage.models import Client, Escalation, Message


@dataclass(frozen=True)
class Done:
    escalation: Escalation
    rasa_told: bool = True


def escalation_by_id(session: Session, escalation_id: int) -> Escalation:
    """Raises EscalationError for an id nobody has."""
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise EscalationError(f"there is no escalation {escalation_id}")
    return escalation


def _tell_rasa(settings: Settings, session: Session, escalation: Escalation, joined: bool) -> bool:
    client = session.get(Client, escalation.client_id)
    return client is None or sync_rasa_pause(settings, client, joined)


def join_chat(settings: Settings, session: Session, escalation_id: int, clinician: str) -> Done:
    """The clinician enters the client's chat (acknowledging it if open); the bot goes quiet."""
    escalation = join(session, escalation_id, clinician)
    return Done(escalation, _tell_rasa(settings, session, escalation, joined=True))


def leave_chat(settings: Settings, session: Session, escalation_id: int) -> Done:
    """The clinician steps out; crisis mode goes on until the escalation is resolved."""
    escalation = leave(session, escalation_id)
    return Done(escalation, _tell_rasa(settings, session, escalation, joined=False))


def resolve_with_notes(
    settings: Settings, session: Session, escalation_id: int, notes: str, clinician: str | None
) -> Done:
    """Ends crisis mode with the notes saying what was done; the bot may speak again."""
    if not notes.strip():
        raise EscalationError("say in the notes what was done before resolving")
    escalation = resolve(session, escalation_id, notes.strip(), clinician)
    return Done(escalation, _tell_rasa(settings, session, escalation, joined=False))


@dataclass(frozen=True)
class Said:
    """`message` is None when the text was held back with `advice` (send it with anyway)."""

    message: Message | None
    advice: str | None = None


def say(session: Session, escalation_id: int, text: str, anyway: bool = False) -> Said:
    """Sends a joined clinician's words to the client, unless the output rail's check finds
    them likely to read as dismissive and `anyway` is False; then nothing is sent."""
    from bot.escalation.advice import advice_on  # loads the rails: only when asked

    escalation = escalation_by_id(session, escalation_id)
    advice = None if anyway else advice_on(session, escalation, text)
    if advice is not None:
        return Said(None, advice)
    return Said(clinician_says(session, escalation_id, text))
