"""Readiness: from what the client has shown so far to stabilize, explore or grow, with reasons.

Pure functions only, so every gate can be tested without Rasa or a database. Distress always
wins: any sign of it means stabilizing, whatever the history or the therapist's setting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Level = Literal["stabilize", "explore", "grow"]
LEVELS: tuple[Level, ...] = ("stabilize", "explore", "grow")
GROWTH_SETTINGS = ("off", "auto", "on")

LOW_MOOD_AT_MOST = 3.0
STEADY_MOOD_AT_LEAST = 5.0
FALLING_BY = 2.0
PTG_EVERY = timedelta(days=14)
# A crisis this recent keeps the client at `stabilize`, even once its escalation is resolved.
CRISIS_HOLDS_FOR = timedelta(days=7)
SKIPPED = "(skipped)"

# Plain words people use for looking after themselves, and for changes in how they treat
# themselves and others. Counting them is rough on purpose: they are one signal of several.
COPING_MARKERS = (
    "breath",
    "breathing",
    "walk",
    "grounding",
    "music",
    "pray",
    "meditat",
    "stretch",
    "journal",
    "talked to",
    "called my",
    "reached out",
    "rested",
    "slept",
    "took a break",
)
CHANGE_MARKERS = (
    "boundar",
    "said no",
    "spoke up",
    "stood up for",
    "asked for help",
    "asked for what i need",
    "kind to myself",
    "gentle with myself",
    "forgave myself",
    "self-compassion",
    "advocat",
)


@dataclass(frozen=True)
class Signals:
    """What readiness is read from; None means not known (for example no guardrail yet)."""

    risk_level: str | None = None
    # When the client's latest crisis message was, within CRISIS_HOLDS_FOR; None if none.
    last_crisis_at: datetime | None = None
    # Whether an earlier message in this conversation was a concern or a crisis.
    risk_earlier_in_conversation: bool = False
    mood_now: float | None = None
    recent_moods: tuple[float, ...] = ()  # oldest first, including today's
    coping_mentions: int = 0
    grounding_done: int = 0
    prompts_answered: int = 0
    prompts_skipped: int = 0
    change_mentions: int = 0
    sessions: int = 0
    exercises_completed: int = 0


@dataclass(frozen=True)
class Readiness:
    level: Level
    reasons: tuple[str, ...]


def count_markers(texts: Iterable[str], markers: Sequence[str]) -> int:
    """How many of the texts mention at least one marker."""
    return sum(any(m in text.lower() for m in markers) for text in texts)


def distress_reasons(s: Signals) -> list[str]:
    """Every current sign of distress; one is enough to stabilize."""
    reasons = []
    if s.risk_level in ("concern", "crisis"):
        reasons.append(f"the safety check noted {s.risk_level} in this message")
    elif s.risk_earlier_in_conversation:
        reasons.append("the safety check noted distress earlier in this conversation")
    if s.last_crisis_at is not None:
        reasons.append(f"there was a crisis on {s.last_crisis_at:%Y-%m-%d}, within the last week")
    if s.mood_now is not None and s.mood_now <= LOW_MOOD_AT_MOST:
        reasons.append(f"today's mood rating is low ({s.mood_now:g}/10)")
    if len(s.recent_moods) >= 3:
        half = len(s.recent_moods) // 2
        earlier, later = s.recent_moods[:half], s.recent_moods[half:]
        drop = sum(earlier) / len(earlier) - sum(later) / len(later)
        if drop >= FALLING_BY:
            reasons.append(f"mood ratings have been falling (down {drop:.1f} on average)")
    return reasons


def strengths(s: Signals) -> dict[str, str | None]:
    """Each readiness indicator with the reason it is met, or None when it is not (yet)."""
    moods = s.recent_moods or ((s.mood_now,) if s.mood_now is not None else ())
    mean = sum(moods) / len(moods) if moods else None
    answered, skipped = s.prompts_answered, s.prompts_skipped
    return {
        "emotional regulation": (
            f"recent mood ratings are steady (average {mean:.1f}/10)"
            if mean is not None and len(moods) >= 3 and mean >= STEADY_MOOD_AT_LEAST
            else None
        ),
        "healthy coping": (
            f"reports coping ({s.coping_mentions}) or uses grounding ({s.grounding_done})"
            if s.coping_mentions or s.grounding_done
            else None
        ),
        "openness": (
            f"engages with reflective prompts ({answered} answered, {skipped} skipped)"
            if answered >= 5 and skipped * 3 <= answered
            else None
        ),
        "behavioural change": (
            f"writes about boundaries, self-compassion or speaking up ({s.change_mentions})"
            if s.change_mentions
            else None
        ),
        "engagement": (
            f"{s.sessions} sessions and {s.exercises_completed} exercises completed"
            if s.sessions >= 3 and s.exercises_completed >= 3
            else None
        ),
    }


def assess(s: Signals, growth_prompts: str = "auto") -> Readiness:
    """The readiness level and why: distress first, then the therapist's setting, then signals."""
    distress = distress_reasons(s)
    if growth_prompts == "off":
        return Readiness("stabilize", ("the therapist has turned growth prompts off", *distress))
    if distress:
        return Readiness("stabilize", tuple(distress))
    unknown = []
    if s.risk_level is None:
        unknown.append("no safety-check result yet")
    if s.mood_now is None:
        unknown.append("no mood rating in this conversation")
    if growth_prompts == "on":
        return Readiness("grow", ("the therapist has turned growth prompts on", *unknown))
    met = strengths(s)
    shown = [f"{name}: {why}" for name, why in met.items() if why]
    missing = [f"not yet shown: {name}" for name, why in met.items() if not why]
    if not missing:
        return Readiness("grow", ("no signs of distress", *shown))
    return Readiness("explore", ("no signs of distress", *unknown, *shown, *missing))


def allows(level: str, needed: str) -> bool:
    """Whether an exercise needing `needed` may be offered at readiness `level`."""
    current = level if level in LEVELS else "stabilize"
    return LEVELS.index(current) >= LEVELS.index(needed)  # type: ignore[arg-type]


def ptg_due(last: datetime | None, now: datetime) -> bool:
    """The reflection check-in is offered at most once every two weeks."""
    return last is None or now - last >= PTG_EVERY
