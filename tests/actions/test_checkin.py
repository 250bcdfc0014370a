"""The check-in form's validation."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.base import parse_scale
from actions.checkin import ValidateCheckinForm
from tests.actions.helpers import Act, answered, responses


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("7", 7.0),
        ("about a 6 today", 6.0),
        ("seven", 7.0),
        ("3/10", 3.0),
        ("0", 0.0),
        ("10 out of 10", 10.0),
        ("5.5", 5.5),
        ("Honestly maybe 4, yesterday was 2", 4.0),
    ],
)
def test_mood_scores_are_read_from_what_people_type(text: str, score: float) -> None:
    assert parse_scale(text, 10) == score


@pytest.mark.parametrize("text", ["11", "not sure", "", "-", None, 42, True])
def test_answers_without_a_score_from_0_to_10_give_none(text: Any) -> None:
    assert parse_scale(text, 10) is None


async def test_a_valid_rating_is_kept_as_a_number(act: Act) -> None:
    events = await act.run(
        ValidateCheckinForm(), **answered("checkin_form", "mood_score", "about a 6")
    )
    assert SlotSet("mood_score", 6.0) in events
    assert act.dispatcher.messages == []


async def test_an_invalid_rating_is_asked_again_gently(act: Act) -> None:
    events = await act.run(
        ValidateCheckinForm(), **answered("checkin_form", "mood_score", "pretty rough")
    )
    assert SlotSet("mood_score", None) in events
    assert responses(act.dispatcher) == ["utter_mood_score_invalid"]


async def test_the_mood_word_is_kept_as_written_but_tidied(act: Act) -> None:
    word = answered("checkin_form", "mood_word", "  tired   but okay ", slots={"mood_score": 6.0})
    events = await act.run(ValidateCheckinForm(), **word)
    assert SlotSet("mood_word", "tired but okay") in events
