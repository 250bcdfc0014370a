"""The input rail inside Rasa: every message's risk level reaches the dialogue, on any channel.

A crisis overrides the NLU model's intent, so safety never rests on the model's guess. When the
entry point has already assessed the message, it sends the assessment as metadata and it is
reused here rather than computed twice; `rasa shell` and direct REST calls are assessed here.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.risk_metadata import (
    CRISIS_INTENT,
    DISTRESS_INTENT,
    RISK_KEY,
    from_metadata,
    to_metadata,
)
from guardrails import RiskAssessment, assess_risk, warm_up

# A concern the model read as free writing, could not place, or took for a bare yes or thanks gets
# validation and grounding instead; inside an exercise the form still takes it as an answer.
# Clear requests (stop, a person, an exercise by name, goodbye...) keep the model's reading.
DISTRESS_FROM = {"share", "out_of_scope", "nlu_fallback", "affirm", "thank", "request_exercise"}
RISK_ENTITY = "risk_level"
logger = logging.getLogger(__name__)


def _warm_up_in_background() -> None:
    """Loads the rails without holding up Rasa's start: under `reflect run` every message comes
    with the entry point's assessment, and the entry point has loaded and checked the same rails
    before it answers anything. A message assessed here before that ends loads what it needs."""

    def load() -> None:
        try:
            warm_up()
        except Exception:
            logger.exception(
                "the input rail could not be loaded; messages without the entry "
                "point's assessment will fail until it is fixed"
            )

    threading.Thread(target=load, name="risk-warm-up", daemon=True).start()


def apply_assessment(message: Message, assessment: RiskAssessment) -> None:
    """Records the assessment on the message; a crisis, and some concerns, override the intent."""
    text = message.get(TEXT) or ""
    model_intent = (message.get(INTENT) or {}).get("name")
    # The model's own guess is kept, so a review can see what the override changed.
    risk = {**to_metadata(assessment)[RISK_KEY], "model_intent": model_intent}
    message.set(RISK_KEY, risk, add_to_output=True)
    entity = {
        "entity": RISK_ENTITY,
        "value": assessment.level,
        "start": 0,
        "end": len(text),
        "extractor": RiskAssessor.__name__,
    }
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
    if assessment.level == CRISIS_INTENT:
        override_intent(message, CRISIS_INTENT)
    elif assessment.level == "concern" and model_intent in DISTRESS_FROM:
        override_intent(message, DISTRESS_INTENT)


def override_intent(message: Message, name: str) -> None:
    """Puts `name` first with full confidence; the model's ranking stays below it."""
    chosen = {"name": name, "confidence": 1.0}
    ranking = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != name]
    message.set(INTENT, chosen, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)


class MessageReader(GraphComponent):
    """An NLU component that reads each message in turn and trains on nothing; subclasses say
    how in `read`."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageReader:
        return cls()

    def read(self, message: Message) -> None:
        raise NotImplementedError

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.read(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RiskAssessor(MessageReader):
    """Runs last in the NLU pipeline, after the classifier and the fallback classifier."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MessageReader:
        _warm_up_in_background()
        return cls()

    def read(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        apply_assessment(message, from_metadata(message.get("metadata")) or assess_risk(text))
