"""The form validations of the exercises, made from their data in `actions/exercises.py`."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import JournalFormValidation, clean_answer, said_in_distress, says_nothing
from actions.exercises import EXERCISES, FREE_WRITING, GRATITUDE, VALUES, Exercise
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


# Ways of saying a piece of free writing is finished, besides "nothing more" and the like.
DONE_WRITING = frozenset(
    {"done", "im done", "all done", "finished", "im finished", "thats everything", "save it"}
)


def finished_writing(value: Any) -> bool:
    """Whether the message says the free writing is finished: "done", "that's all"."""
    if not isinstance(value, str):
        return False
    plain = value.lower().replace("\u2019", "'").replace("'", "").strip(" .!")
    return plain in DONE_WRITING or says_nothing(value)


class FreeWriting(JournalFormValidation):
    """Free writing: each message after the first is added to what was written, until the
    client says they are done; then the form ends and the whole is saved as one entry."""

    def validate_writing_done(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if finished_writing(value):
            return {"writing_done": "done"}
        more = clean_answer(value)
        if more is None:
            return {"writing_done": None}
        if said_in_distress(tracker):
            dispatcher.utter_message(response="utter_distress_noted")
        so_far = tracker.get_slot("writing") or ""
        return {"writing": f"{so_far}\n\n{more}".strip(), "writing_done": None}


BASES: dict[Exercise, type[JournalFormValidation]] = {
    VALUES: ValuesFollowUp,
    GRATITUDE: GratitudeList,
    FREE_WRITING: FreeWriting,
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
