"""The check-in: a mood rating from 0 to 10 and a word for it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import JournalFormValidation, parse_scale


class ValidateCheckinForm(JournalFormValidation):
    """Turns the rating into a number and keeps the mood word as the client wrote it."""

    free_text_slots = ("mood_word",)
    # Here distress is the answer asked for; the offer that follows the check-in validates it.
    acknowledges_distress = False

    def name(self) -> str:
        return "validate_checkin_form"

    def validate_mood_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        score = parse_scale(value, 10)
        if score is None:
            dispatcher.utter_message(response="utter_mood_score_invalid")
        return {"mood_score": score}


def checked_in(tracker: Tracker) -> bool:
    """Whether the check-in already has its rating (or its pass) in this session."""
    return tracker.get_slot("mood_score") is not None


class ActionGreet(Action):
    """Hello; a second greeting in the same session says hello back and asks for no new rating
    (the check-in that follows already has its answers)."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        again = checked_in(tracker)
        dispatcher.utter_message(response="utter_greet_again" if again else "utter_greet")
        return []


class ActionRestartCheckin(Action):
    """ "Start over" outside an exercise: the check-in is asked afresh; its new rating replaces
    the one given earlier in the conversation (`actions/readiness.py`)."""

    def name(self) -> str:
        return "action_restart_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_starting_over")
        return [SlotSet("mood_score", None), SlotSet("mood_word", None)]
