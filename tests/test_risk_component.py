"""The risk component's overrides, on Rasa's own message objects."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.risk_component import apply_assessment
from guardrails import RiskAssessment


def parsed(text: str, intent: str) -> Message:
    guess = {"name": intent, "confidence": 0.9}
    return Message(data={TEXT: text, INTENT: guess, INTENT_RANKING_KEY: [guess]})


@pytest.mark.parametrize(
    "model_intent", ["share", "out_of_scope", "nlu_fallback", "affirm", "thank", "request_exercise"]
)
def test_a_concern_read_as_free_writing_becomes_distress(model_intent: str) -> None:
    message = parsed("i cant stop shaking since the accident", model_intent)
    apply_assessment(message, RiskAssessment("concern", ("distress",)))
    assert message.get(INTENT)["name"] == "distress"
    assert [i["name"] for i in message.get(INTENT_RANKING_KEY)] == ["distress", model_intent]
    assert message.get("risk")["model_intent"] == model_intent


@pytest.mark.parametrize(
    "model_intent", ["stop", "greet", "deny", "goodbye", "choose_grounding", "request_human"]
)
def test_a_concern_with_a_clear_request_keeps_the_request(model_intent: str) -> None:
    message = parsed("stop, this is too much", model_intent)
    apply_assessment(message, RiskAssessment("concern", ("distress",)))
    assert message.get(INTENT)["name"] == model_intent


def test_a_crisis_overrides_any_intent() -> None:
    message = parsed("i want to end it tonight", "greet")
    apply_assessment(message, RiskAssessment("crisis", ("suicidal_intent",)))
    assert message.get(INTENT) == {"name": "crisis", "confidence": 1.0}
    assert message.get("entities")[-1]["value"] == "crisis"


def test_no_risk_leaves_the_model_alone() -> None:
    message = parsed("had a nice walk", "share")
    apply_assessment(message, RiskAssessment("none", ()))
    assert message.get(INTENT)["name"] == "share"
    assert message.get("entities")[-1]["value"] == "none"
