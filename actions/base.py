"""The shared base of Reflect's form validations: free-text answers are tidied the same way."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Tracker, utils
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

MAX_ANSWER_CHARS = 4000


def clean_answer(value: Any) -> str | None:
    """The answer without surrounding space, or None when nothing was written."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text[:MAX_ANSWER_CHARS] or None


class JournalFormValidation(FormValidationAction):
    """Validates a form whose slots are free text, unless a `validate_<slot>` says otherwise."""

    free_text_slots: ClassVar[tuple[str, ...]] = ()

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
            elif slot in self.free_text_slots:
                output = {slot: self.validate_answer(value, dispatcher)}
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
