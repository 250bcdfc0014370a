"""The shared base of Reflect's form validations: free-text answers are tidied the same way."""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from rasa_sdk import Tracker, utils
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.exercises import prompt_text
from bot.interjections import read_interjection
from bot.readiness import SKIPPED
from bot.risk_metadata import DISTRESS_INTENT

MAX_ANSWER_CHARS = 4000
# Answers that pass on a prompt; they are kept as SKIPPED, which the openness signal counts.
SKIP_ANSWERS = frozenset(
    {"skip", "pass", "next", "skip this one", "skip it", "i'd rather not say", "rather not say"}
)
# Answers saying there is nothing (more) to name, compared without filler words; where a prompt
# asks for something to name ("a second good thing?"), these are a pass, not the thing.
# "Nothing good happened", "honestly not a thing this week" are passes too.
_FILLER = re.compile(
    r"\b(?:i|really|honestly|um|uh|else|today|just|tbh|sorry|well|so|more|good|happened|has|"
    r"anything|a|at|all|much|this|week|lately|thing|things)\b"
)
_NOTHING = (
    "nothing",
    "no",
    "nope",
    "nah",
    "none",
    "not",
    "no there isn't",
    "nothing comes to mind",
    "can't think of anything",
    "can't think of one",
    "not that i can think of",
    "that's it",
    "that's all",
    "i don't know",
    "dunno",
    "not sure",
)


def _core(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("'", "").strip(" .!,")
    return " ".join(_FILLER.sub(" ", text).split())


NOTHING_ANSWERS = frozenset(_core(answer) for answer in _NOTHING)
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


def says_nothing(value: Any) -> bool:
    """Whether the answer says there is nothing to name: "nothing else really", "not really"."""
    return isinstance(value, str) and _core(value) in NOTHING_ANSWERS


def parse_scale(text: Any, top: int) -> float | None:
    """The first number from 0 to `top` in the answer, else None.

    "7", "about a 6", "seven/10", "5.5" and "six and a half" (6.5) are read; a number outside
    0 to `top` gives None.
    """
    if not isinstance(text, (str, int, float)) or isinstance(text, bool):
        return None
    tokens = _NUMBER.findall(str(text).lower())
    for at, token in enumerate(tokens):
        if token in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[token])
        elif token[0].isdigit():
            value = float(token.replace(",", "."))
        else:
            continue
        if tokens[at + 1 : at + 4] == ["and", "a", "half"]:
            value += 0.5
        return value if 0 <= value <= top else None
    return None


def read_scale(value: Any, top: int) -> float | str | None:
    """SKIPPED for a pass, else the whole number from 0 to `top` in the answer, else None."""
    if clean_answer(value) == SKIPPED:
        return SKIPPED
    score = parse_scale(value, top)
    return score if score is not None and score.is_integer() else None


def read_answer(value: Any, top: int | None) -> float | str | None:
    """An answer as its form's validation keeps it: on a scale from 0 to `top`, or free text."""
    return clean_answer(value) if top is None else read_scale(value, top)


def handle_interjection(
    kind: str, slot: str, form_slots: Sequence[str], dispatcher: CollectingDispatcher
) -> dict[str, Any]:
    """The slot values after an interjection where `slot` was asked; none is an answer.

    A restart empties every slot of the form, so it asks its first question again; a question
    about the question, or a return, asks this one again; a decline passes it on.
    """
    if kind == "restart":
        dispatcher.utter_message(response="utter_starting_over")
        return dict.fromkeys(form_slots)
    if kind == "decline":
        return {slot: SKIPPED}
    dispatcher.utter_message(
        response="utter_ask_again" if kind == "clarify" else "utter_welcome_back"
    )
    return {slot: None}


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
    # Free-text slots that ask for something to name, where "nothing else really" is a pass.
    nothing_passes: ClassVar[frozenset[str]] = frozenset()

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
            interjection = self.interjection(value, tracker, prompt_text(domain, slot))
            validator = getattr(self, f"validate_{slot}", None)
            if interjection is not None:
                output = handle_interjection(
                    interjection, slot, self.domain_slots(domain), dispatcher
                )
            elif validator is not None:
                output = await utils.call_potential_coroutine(
                    validator(value, dispatcher, tracker, domain)
                )
            elif slot in self.scale_slots:
                output = {slot: self.validate_scale(value, self.scale_slots[slot], dispatcher)}
            elif slot in self.nothing_passes and says_nothing(value):
                output = {slot: SKIPPED}
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
    def interjection(value: Any, tracker: Tracker, question: str) -> str | None:
        """What the latest message is instead of an answer, when `value` is that message.

        Read by its words and the `question` asked (`bot/interjections.py`): a request to start
        over, a question about the question, a return ("hi again, sorry"), or a decline of it.
        Goodbyes and questions about the assistant never get here: the NLU reads them as a stop
        and as `bot_challenge` first.
        """
        if not isinstance(value, str) or value != tracker.latest_message.get("text"):
            return None
        kind = read_interjection(value, question)
        return kind if kind in ("restart", "clarify", "back", "decline") else None

    @staticmethod
    def validate_answer(value: Any, dispatcher: CollectingDispatcher) -> str | None:
        answer = clean_answer(value)
        if answer is None:
            dispatcher.utter_message(response="utter_answer_empty")
        return answer

    @staticmethod
    def validate_scale(
        value: Any, top: int, dispatcher: CollectingDispatcher
    ) -> float | str | None:
        """A whole number from 0 to `top`, or SKIPPED; otherwise the question is asked again."""
        answer = read_scale(value, top)
        if answer is None:
            half = parse_scale(value, top) is not None
            dispatcher.utter_message(
                response="utter_scale_whole" if half else "utter_scale_invalid", top=top
            )
        return answer
