"""Reads stopping by its kind in Rasa's NLU pipeline: an answer that mentions stopping stays an
answer, and a plain request to stop is a stop whatever the model guessed (`bot/stop_request.py`).

It runs after the classifiers and before the input rail, so a crisis still overrides it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.risk_component import MessageReader, override_intent
from bot.stop_request import intent_for


def read_stop(message: Message) -> None:
    """Sets the message's intent to what `intent_for` makes of its text and the model's intent."""
    model_intent = (message.get(INTENT) or {}).get("name")
    intent = intent_for(message.get(TEXT) or "", model_intent)
    if intent is not None and intent != model_intent:
        override_intent(message, intent)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class StopReader(MessageReader):
    """Runs after the fallback classifier and before `bot.risk_component.RiskAssessor`."""

    def read(self, message: Message) -> None:
        read_stop(message)
