"""The form validations of the exercises, made from their data in `actions/exercises.py`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import JournalFormValidation
from actions.exercises import EXERCISES, VALUES, Exercise


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


VALIDATIONS = [
    validation_for(e, ValuesFollowUp if e is VALUES else JournalFormValidation)
    for e in EXERCISES.values()
]
