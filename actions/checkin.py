"""The check-in: a mood rating from 0 to 10 and a word for it."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import JournalFormValidation

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+")


def parse_mood_score(text: Any) -> float | None:
    """The first number from 0 to 10 in the answer ("7", "about a 6", "seven/10"), else None."""
    if not isinstance(text, str):
        return None
    for token in _NUMBER.findall(text.lower()):
        if token in _NUMBER_WORDS:
            return float(_NUMBER_WORDS[token])
        if token[0].isdigit():
            value = float(token.replace(",", "."))
            return value if 0 <= value <= 10 else None
    return None


class ValidateCheckinForm(JournalFormValidation):
    """Turns the rating into a number and keeps the mood word as the client wrote it."""

    free_text_slots = ("mood_word",)

    def name(self) -> str:
        return "validate_checkin_form"

    def validate_mood_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        score = parse_mood_score(value)
        if score is None:
            dispatcher.utter_message(response="utter_mood_score_invalid")
        return {"mood_score": score}
