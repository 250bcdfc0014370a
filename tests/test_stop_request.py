"""Stopping read by its kind: a request to stop stops, an answer that mentions stopping is kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.risk_component import apply_assessment
from bot.stop_component import read_stop
from bot.stop_request import PROMOTED_FROM, asks_to_stop, has_request_to_stop, intent_for
from guardrails import RiskAssessment
from tests.conftest import PROJECT_DIR

ANSWERS: dict[str, list[str]] = yaml.safe_load(
    (PROJECT_DIR / "tests/data/conversation/answers_with_stop_words.yml").read_text()
)
# Requests to stop worded differently from the NLU training examples.
REQUESTS = [
    "Stop.",
    "can we stop for today please",
    "I want to end this",
    "let's leave it there",
    "quit",
    "ok that's enough for me",
    "please can we pause here",
    "I'd rather stop now, thanks",
    "no more for now",
    "I can't do this anymore today",
    "I don't want to carry on",
    "done with this one, sorry",
    "get me out of here",
    "end it here please",
    "STOPPP",
    "let's call it a day",
    "could we not continue with this",
]
# Requests to stop followed by something else the client says.
STOP_THEN_MORE = [
    "stop, I need a minute",
    "this is too hard, I want to stop",
    "can we stop? my head hurts",
    "let's leave it there - I'm tired",
]


def nlu_examples() -> list[tuple[str, str]]:
    """Every (intent, example) in data/nlu, with entity markup removed."""
    found = []
    for path in sorted((PROJECT_DIR / "data/nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text())["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.startswith("- ") and "intent" in block:
                    found.append(
                        (block["intent"], re.sub(r"\[([^]]*)\]\([^)]*\)", r"\1", line[2:]))
                    )
    return found


@pytest.mark.parametrize("text", ["I want to stop drinking every night", "leave at 6 on wednesday"])
def test_the_issues_answers_are_answers_even_when_the_model_reads_stop(text: str) -> None:
    assert intent_for(text, "stop") == "share"


@pytest.mark.parametrize(("form", "answers"), ANSWERS.items())
def test_answers_that_mention_stopping_are_kept_whatever_the_model_guessed(
    form: str, answers: list[str]
) -> None:
    assert len(answers) >= 30, form
    for answer in answers:
        assert intent_for(answer, "stop") == "share", answer
        for intent in PROMOTED_FROM:
            assert intent_for(answer, intent) == intent, answer


@pytest.mark.parametrize("text", REQUESTS)
def test_a_request_to_stop_stops_whatever_the_model_guessed_it_was(text: str) -> None:
    assert intent_for(text, "stop") == "stop"
    for intent in PROMOTED_FROM:
        assert intent_for(text, intent) == "stop", intent


@pytest.mark.parametrize("text", STOP_THEN_MORE)
def test_a_request_to_stop_with_more_after_it_stops_when_the_model_reads_stop(text: str) -> None:
    assert has_request_to_stop(text)
    assert intent_for(text, "stop") == "stop"


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to stop",
        "no, keep going",
        "done",
        "done now",
        "finished",
        "the end",
        "stop-start",
    ],
)
def test_going_on_or_answering_a_breath_is_not_a_request_to_stop(text: str) -> None:
    assert not has_request_to_stop(text)
    assert intent_for(text, "stop") == "share"


def test_a_long_message_is_not_read_as_a_request_to_stop_by_one_clause() -> None:
    text = "Stop. I'd say that to my younger self a lot, because she never rested and never asked"
    assert intent_for(text, "stop") == "share"


def test_every_stop_example_the_model_learns_from_is_a_request_to_stop() -> None:
    missed = [
        text
        for intent, text in nlu_examples()
        if intent == "stop" and not has_request_to_stop(text)
    ]
    assert missed == []


def test_no_example_of_another_intent_is_taken_for_a_stop() -> None:
    taken = [
        (intent, text)
        for intent, text in nlu_examples()
        if intent in PROMOTED_FROM and asks_to_stop(text)
    ]
    assert taken == []


def parsed(text: str, intent: str) -> Message:
    guess: dict[str, Any] = {"name": intent, "confidence": 0.97}
    return Message(data={TEXT: text, INTENT: guess, INTENT_RANKING_KEY: [guess]})


def test_the_component_keeps_the_models_guess_in_the_ranking() -> None:
    message = parsed("leave at 6 on wednesday", "stop")
    read_stop(message)
    assert message.get(INTENT) == {"name": "share", "confidence": 1.0}
    assert [i["name"] for i in message.get(INTENT_RANKING_KEY)] == ["share", "stop"]


def test_a_crisis_still_overrides_a_request_to_stop() -> None:
    message = parsed("i want to end it", "stop")
    read_stop(message)
    apply_assessment(message, RiskAssessment("crisis", ("suicidal_intent",)))
    assert message.get(INTENT)["name"] == "crisis"


def test_a_concern_in_an_answer_that_mentions_stopping_becomes_distress() -> None:
    message = parsed("I can't stop shaking since the crash", "stop")
    read_stop(message)
    apply_assessment(message, RiskAssessment("concern", ("distress",)))
    assert message.get(INTENT)["name"] == "distress"


def test_the_pipeline_reads_stopping_after_the_classifiers_and_before_the_input_rail() -> None:
    pipeline = [
        c["name"] for c in yaml.safe_load((PROJECT_DIR / "config.yml").read_text())["pipeline"]
    ]
    assert pipeline[-4:] == [
        "FallbackClassifier",
        "bot.stop_component.StopReader",
        "bot.interjection_component.InterjectionReader",
        "bot.risk_component.RiskAssessor",
    ]
