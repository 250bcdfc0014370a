"""The exercises the assistant guides, as data: which form asks which slots."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.storage.journal import Answer


@dataclass(frozen=True)
class Exercise:
    """An exercise run as a Rasa form; its slots, in order, are the prompts of the entry."""

    name: str
    form: str
    slots: tuple[str, ...]
    summary_slots: tuple[str, ...]


GRATITUDE = Exercise(
    name="gratitude",
    form="gratitude_form",
    slots=("good_thing_1", "why_1", "good_thing_2", "why_2", "good_thing_3", "why_3"),
    summary_slots=("good_thing_1", "good_thing_2", "good_thing_3"),
)

EXERCISES: Mapping[str, Exercise] = {e.form: e for e in (GRATITUDE,)}


def last_exercise(events: Iterable[Mapping[str, Any]]) -> Exercise | None:
    """The exercise whose form was active most recently, read from the tracker's events."""
    for event in reversed(list(events)):
        if event.get("event") == "active_loop" and event.get("name") in EXERCISES:
            return EXERCISES[event["name"]]
    return None


def prompt_text(domain: Mapping[str, Any], slot: str) -> str:
    """The question the client saw for a slot: the first variant of `utter_ask_<slot>`."""
    variants = domain.get("responses", {}).get(f"utter_ask_{slot}", [])
    return variants[0].get("text", slot) if variants else slot


def collect_answers(
    exercise: Exercise,
    slots: Mapping[str, Any],
    events: Iterable[Mapping[str, Any]],
    domain: Mapping[str, Any],
) -> list[Answer]:
    """The answered prompts of an exercise, each with the time its slot was filled."""
    filled_at: dict[str, datetime] = {}
    for event in events:
        if event.get("event") == "slot" and event.get("value") and event.get("timestamp"):
            filled_at[event["name"]] = datetime.fromtimestamp(event["timestamp"], timezone.utc)
    return [
        Answer(prompt_text(domain, slot), str(slots[slot]), filled_at.get(slot))
        for slot in exercise.slots
        if slots.get(slot)
    ]
