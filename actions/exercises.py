"""The exercises the assistant guides, as data: which form asks which slots."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.readiness import allows
from bot.storage.journal import Answer
from bot.storage.ptg import DOMAINS


@dataclass(frozen=True)
class Exercise:
    """An exercise run as a Rasa form; its slots, in order, are the prompts of the entry."""

    name: str
    form: str
    slots: tuple[str, ...]
    summary_slots: tuple[str, ...]
    # The lowest readiness at which it is offered (bot/readiness.py), the intent that picks it
    # and the title of its button in an offer.
    level: str
    intent: str
    title: str
    # Slots answered on a scale from 0 to the given top, instead of in free text.
    scales: tuple[tuple[str, int], ...] = ()
    # What a summary slot is called when the closing names it as passed on ("smell").
    summary_names: tuple[tuple[str, str], ...] = ()
    # Slots that steer the form rather than hold the client's words: never saved.
    control_slots: tuple[str, ...] = ()
    # Whether stopping it finishes it: free writing has no end but the client's.
    stop_completes: bool = False


FREE_WRITING = Exercise(
    name="free_writing",
    form="free_writing_form",
    slots=("writing", "writing_done"),
    summary_slots=(),
    level="stabilize",
    intent="choose_free_writing",
    title="Just writing",
    control_slots=("writing_done",),
    stop_completes=True,
)
GROUNDING = Exercise(
    name="grounding",
    form="grounding_form",
    slots=("sense_see", "sense_hear", "sense_touch", "sense_smell", "sense_taste"),
    summary_slots=("sense_see", "sense_hear", "sense_touch", "sense_smell", "sense_taste"),
    level="stabilize",
    intent="choose_grounding",
    title="Five senses",
    summary_names=(
        ("sense_see", "sight"),
        ("sense_hear", "sound"),
        ("sense_touch", "touch"),
        ("sense_smell", "smell"),
        ("sense_taste", "taste"),
    ),
)
BREATHING = Exercise(
    name="breathing",
    form="breathing_form",
    slots=("breath_1", "breath_2", "breath_3", "breath_after"),
    summary_slots=("breath_after",),
    level="stabilize",
    intent="choose_breathing",
    title="Slow breathing",
)
SAFE_PLACE = Exercise(
    name="safe_place",
    form="safe_place_form",
    slots=("safe_place", "safe_place_detail", "safe_place_feeling"),
    summary_slots=("safe_place",),
    level="stabilize",
    intent="choose_safe_place",
    title="A safe place",
)
VALUES = Exercise(
    name="values",
    form="values_form",
    slots=("value_followup", "value_area", "value_matters", "value_closeness", "value_action"),
    summary_slots=("value_area", "value_action"),
    level="explore",
    intent="choose_values",
    title="What matters to me",
    scales=(("value_closeness", 10),),
)
GRATITUDE = Exercise(
    name="gratitude",
    form="gratitude_form",
    slots=("good_thing_1", "why_1", "good_thing_2", "why_2", "good_thing_3", "why_3", "savor"),
    summary_slots=("good_thing_1", "good_thing_2", "good_thing_3"),
    level="explore",
    intent="choose_gratitude",
    title="Three good things",
)
NARRATIVE = Exercise(
    name="narrative",
    form="narrative_form",
    slots=("chapter_title", "strength_moment", "strength_shows", "next_chapter"),
    summary_slots=("chapter_title",),
    level="explore",
    intent="choose_narrative",
    title="My story",
)
SELF_COMPASSION = Exercise(
    name="self_compassion",
    form="self_compassion_form",
    slots=("kind_situation", "kind_friend", "kind_to_self"),
    summary_slots=("kind_friend",),
    level="explore",
    intent="choose_self_compassion",
    title="A kind word",
)
MEANING = Exercise(
    name="meaning",
    form="meaning_form",
    slots=(
        "meaning_life",
        "meaning_relationships",
        "meaning_strength",
        "meaning_possibilities",
        "meaning_beliefs",
    ),
    summary_slots=(),
    level="grow",
    intent="choose_meaning",
    title="Looking back, looking on",
)
STRENGTHS = Exercise(
    name="strengths",
    form="strengths_form",
    slots=("strength_people", "strength_practices", "strength_places", "strength_lean"),
    summary_slots=(
        "strength_people",
        "strength_practices",
        "strength_places",
    ),
    level="explore",
    intent="choose_strengths",
    title="What carries me",
)
BOUNDARIES = Exercise(
    name="boundaries",
    form="boundaries_form",
    slots=("boundary_need", "boundary_line", "boundary_ask", "boundary_support"),
    summary_slots=(
        "boundary_need",
        "boundary_ask",
    ),
    level="explore",
    intent="choose_boundaries",
    title="A need and a boundary",
)
LIFE_REVIEW = Exercise(
    name="life_review",
    form="life_review_form",
    slots=("review_chapters", "review_turning", "review_carried", "review_ahead"),
    summary_slots=("review_chapters",),
    level="grow",
    intent="choose_life_review",
    title="Chapters of my life",
)
BODY_SCAN = Exercise(
    name="body_scan",
    form="body_scan_form",
    slots=("scan_feet", "scan_hands", "scan_shoulders", "scan_breath", "scan_after"),
    summary_slots=("scan_after",),
    level="stabilize",
    intent="choose_body_scan",
    title="Body scan",
)
PTG_SLOTS = tuple(f"ptg_{domain}" for domain in DOMAINS)
PTG_CHECKIN = Exercise(
    name="ptg_checkin",
    form="ptg_form",
    slots=PTG_SLOTS,
    summary_slots=(),
    level="explore",
    intent="choose_ptg",
    title="Two-weekly reflection check-in",
    scales=tuple((slot, 5) for slot in PTG_SLOTS),
)

EXERCISES: Mapping[str, Exercise] = {
    e.form: e
    for e in (
        GROUNDING,
        BREATHING,
        SAFE_PLACE,
        VALUES,
        GRATITUDE,
        NARRATIVE,
        SELF_COMPASSION,
        MEANING,
        PTG_CHECKIN,
        FREE_WRITING,
        STRENGTHS,
        BOUNDARIES,
        LIFE_REVIEW,
        BODY_SCAN,
    )
}
BY_INTENT: Mapping[str, Exercise] = {e.intent: e for e in EXERCISES.values()}
BY_NAME: Mapping[str, Exercise] = {e.name: e for e in EXERCISES.values()}
# What an offer suggests first at each readiness level; the others are buttons.
FIRST_OFFER: Mapping[str, Exercise] = {
    "stabilize": GROUNDING,
    "explore": GRATITUDE,
    "grow": GRATITUDE,
}


def offered_at(level: str) -> list[Exercise]:
    """The exercises open at a readiness level; the reflection check-in keeps its own pace."""
    return [e for e in EXERCISES.values() if allows(level, e.level) and e is not PTG_CHECKIN]


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
        if event.get("event") == "slot" and answered(event.get("value")) and event.get("timestamp"):
            filled_at[event["name"]] = datetime.fromtimestamp(event["timestamp"], timezone.utc)
    return [
        Answer(prompt_text(domain, slot), as_text(slots[slot]), filled_at.get(slot), slot)
        for slot in exercise.slots
        if answered(slots.get(slot)) and slot not in exercise.control_slots
    ]


def answered(value: Any) -> bool:
    """A slot is answered once it holds something, a score of 0 included."""
    return value is not None and value != ""


def as_text(value: Any) -> str:
    """Scores read as people write them: 7, not 7.0."""
    return f"{value:g}" if isinstance(value, float) else str(value)
