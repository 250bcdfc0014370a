"""The check-in: a mood rating from 0 to 10 and a word for it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
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
