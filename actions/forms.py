"""The form validations of the exercises, made from their data in `actions/exercises.py`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import JournalFormValidation
from actions.exercises import EXERCISES, GRATITUDE, VALUES, Exercise
from bot.readiness import SKIPPED

GOOD_THINGS = {"good_thing_1": "why_1", "good_thing_2": "why_2", "good_thing_3": "why_3"}


class ValuesFollowUp(JournalFormValidation):
    """Asks how last time's committed action went, only when there was one."""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("previous_value_action"):
            return domain_slots
        return [slot for slot in domain_slots if slot != "value_followup"]


class GratitudeList(JournalFormValidation):
    """ "Nothing else really" is not a good thing: it is kept as a pass, and its "why" is not
    asked. Savoring is asked only when at least one good thing was written."""

    nothing_passes = frozenset(GOOD_THINGS)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        passed = {GOOD_THINGS[t] for t in GOOD_THINGS if tracker.get_slot(t) == SKIPPED}
        if len(passed) == len(GOOD_THINGS):
            passed.add("savor")
        return [slot for slot in domain_slots if slot not in passed]


BASES: dict[Exercise, type[JournalFormValidation]] = {
    VALUES: ValuesFollowUp,
    GRATITUDE: GratitudeList,
}


def validation_for(exercise: Exercise, base: type[JournalFormValidation]) -> type:
    """A concrete validation action for an exercise's form: free text, or a number on a scale."""
    scales = dict(exercise.scales)
    attrs: dict[str, Any] = {
        "__doc__": f"Validates the answers of the {exercise.name} exercise.",
        "__module__": __name__,
        "free_text_slots": tuple(slot for slot in exercise.slots if slot not in scales),
        "scale_slots": scales,
        "name": lambda _self: f"validate_{exercise.form}",
    }
    return type(f"Validate_{exercise.form}", (base,), attrs)


VALIDATIONS = [validation_for(e, BASES.get(e, JournalFormValidation)) for e in EXERCISES.values()]
