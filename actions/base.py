"""The shared base of Reflect's form validations: free-text answers are tidied the same way."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from rasa_sdk import Tracker, utils
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.readiness import SKIPPED
from bot.risk_metadata import DISTRESS_INTENT

MAX_ANSWER_CHARS = 4000
# Answers that pass on a prompt; they are kept as SKIPPED, which the openness signal counts.
SKIP_ANSWERS = frozenset(
    {"skip", "pass", "next", "skip this one", "skip it", "i'd rather not say", "rather not say"}
)
_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+")


def clean_answer(value: Any) -> str | None:
    """The answer without surrounding space, or None when nothing was written."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if text.lower().strip(" .!") in SKIP_ANSWERS:
        return SKIPPED
    return text[:MAX_ANSWER_CHARS] or None


def parse_scale(text: Any, top: int) -> float | None:
    """The first number from 0 to `top` in the answer ("7", "about a 6", "seven/10"), else None."""
    if not isinstance(text, (str, int, float)) or isinstance(text, bool):
        return None
    for token in _NUMBER.findall(str(text).lower()):
        if token in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[token])
        elif token[0].isdigit():
            value = float(token.replace(",", "."))
        else:
            continue
        return value if 0 <= value <= top else None
    return None


def said_in_distress(tracker: Tracker) -> bool:
    """Whether the risk component marked the latest message as a concern read as free writing."""
    return (tracker.latest_message.get("intent") or {}).get("name") == DISTRESS_INTENT


class JournalFormValidation(FormValidationAction):
    """Validates a form whose slots are free text, unless a `validate_<slot>` says otherwise."""

    free_text_slots: ClassVar[tuple[str, ...]] = ()
    # Slots answered with a number from 0 to the given top.
    scale_slots: ClassVar[Mapping[str, int]] = {}
    # A distressed answer is kept as the answer, and acknowledged before the next question.
    acknowledges_distress: ClassVar[bool] = True

    @abstractmethod
    def name(self) -> str:
        """Abstract, so the action server registers only the concrete forms."""

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        wanted = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        validated: dict[str, Any] = {}
        for slot, value in tracker.slots_to_validate().items():
            if slot not in wanted:
                continue
            validator = getattr(self, f"validate_{slot}", None)
            if validator is not None:
                output = await utils.call_potential_coroutine(
                    validator(value, dispatcher, tracker, domain)
                )
            elif slot in self.scale_slots:
                output = {slot: self.validate_scale(value, self.scale_slots[slot], dispatcher)}
            elif slot in self.free_text_slots:
                output = {slot: self.validate_answer(value, dispatcher)}
                if self.acknowledges_distress and said_in_distress(tracker):
                    dispatcher.utter_message(response="utter_distress_noted")
            else:
                output = {slot: value}
            validated.update(output)
            tracker.slots.update(output)
        return [SlotSet(slot, value) for slot, value in validated.items()]

    @staticmethod
    def validate_answer(value: Any, dispatcher: CollectingDispatcher) -> str | None:
        answer = clean_answer(value)
        if answer is None:
            dispatcher.utter_message(response="utter_answer_empty")
        return answer

    @staticmethod
    def validate_scale(value: Any, top: int, dispatcher: CollectingDispatcher) -> float | None:
        score = parse_scale(value, top)
        if score is None:
            dispatcher.utter_message(response="utter_scale_invalid", top=top)
        return score
