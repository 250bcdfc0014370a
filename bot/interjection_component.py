"""Reads interjections in Rasa's NLU pipeline (`bot/interjections.py`): inside an exercise or the
check-in, a goodbye stops, and an answer the model took for a question about the assistant stays
an answer.

Whether a question is open comes from the entry point, in the message's metadata; without it
(`rasa shell`, test stories) only "start over" is read. It runs after `StopReader` and before
the input rail, so a crisis still overrides it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.interjections import answers_a_question, intent_for
from bot.risk_component import MessageReader, override_intent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InterjectionReader(MessageReader):
    """Runs after `bot.stop_component.StopReader` and before `bot.risk_component.RiskAssessor`."""

    def read(self, message: Message) -> None:
        model = message.get(INTENT) or {}
        model_intent = model.get("name")
        answering = answers_a_question(message.get("metadata"))
        confidence = float(model.get("confidence") or 0.0)
        intent = intent_for(message.get(TEXT) or "", model_intent, answering, confidence)
        if intent is not None and intent != model_intent:
            override_intent(message, intent)
