"""The suicide question after hopelessness, and which answers stand down."""

from __future__ import annotations

import pytest

from bot.escalation.concern import SUICIDE_QUESTION, is_clear_no, needs_the_question
from guardrails import RiskAssessment, assess_risk, check_reply


def test_hopelessness_gets_the_question_and_other_concern_does_not() -> None:
    assert needs_the_question(assess_risk("i feel so hopeless, nothing will ever change"))
    assert not needs_the_question(RiskAssessment("concern", ("panic",)))
    assert not needs_the_question(RiskAssessment("crisis", ("hopelessness",)))


@pytest.mark.parametrize("answer", ["no", "No.", "nope", "no, i'm not", "not at all", "never"])
def test_a_clear_no_stands_down(answer: str) -> None:
    assert is_clear_no(answer)


@pytest.mark.parametrize("answer", ["yes", "sometimes", "maybe", "kind of", "why?", "no... yes"])
def test_anything_else_goes_to_a_person(answer: str) -> None:
    assert not is_clear_no(answer)


@pytest.mark.parametrize("level", ["none", "concern", "crisis"])
def test_the_question_passes_the_output_rail(level: str) -> None:
    assert check_reply(SUICIDE_QUESTION, level).verdict == "allow"
