"""Answers kept as meant: halves, passes on a scale, "nothing else", and what a summary reads."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.base import parse_scale, says_nothing
from actions.checkin import ValidateCheckinForm
from actions.exercises import GRATITUDE, GROUNDING, PTG_CHECKIN
from actions.journal import ActionSaveEntry, ActionStartExercise, summary_of
from bot.readiness import SKIPPED
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from bot.storage.models import Client
from bot.storage.ptg import ptg_trend
from tests.actions.helpers import Act, answered, asking, form_events, responses, validation


@pytest.mark.parametrize(
    ("text", "score"),
    [("six and a half", 6.5), ("6 and a half, maybe", 6.5), ("7.5", 7.5), ("ten", 10.0)],
)
def test_a_half_is_read_as_a_half(text: str, score: float) -> None:
    assert parse_scale(text, 10) == score


async def test_a_mood_of_six_and_a_half_is_kept_as_six_and_a_half(act: Act) -> None:
    events = await act.run(
        ValidateCheckinForm(), **answered("checkin_form", "mood_score", "six and a half")
    )
    assert SlotSet("mood_score", 6.5) in events


async def test_a_half_on_a_whole_number_scale_is_asked_again_saying_why(act: Act) -> None:
    answer = answered("values_form", "value_closeness", "six and a half")
    events = await act.run(validation("values_form"), **answer)
    assert SlotSet("value_closeness", None) in events
    assert responses(act.dispatcher) == ["utter_scale_whole"]
    assert "whole numbers only" in act.domain["responses"]["utter_scale_whole"][0]["text"]


@pytest.mark.parametrize("answer", ["skip", "Skip.", "pass"])
async def test_skipping_a_reflection_check_in_question_is_accepted(answer: str, act: Act) -> None:
    events = await act.run(validation("ptg_form"), **answered("ptg_form", "ptg_strength", answer))
    assert SlotSet("ptg_strength", SKIPPED) in events
    assert responses(act.dispatcher) == []


async def test_a_reflection_check_in_with_a_pass_is_stored_without_that_answer(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    scores = dict(zip(PTG_CHECKIN.slots, (3.0, SKIPPED, 4.0, 2.0, 5.0), strict=True))
    await act.run(ActionSaveEntry(), slots=scores, events=form_events("ptg_form", scores))
    with session_scope(db_url) as session:
        (checkin,) = ptg_trend(session, "sam")
        assert [checkin.appreciation, checkin.relationships, checkin.strength] == [3, None, 4]
        (entry,) = entries_for(session, "sam")
        assert [i.answer for i in entry.items] == ["3", SKIPPED, "4", "2", "5"]


@pytest.mark.parametrize(
    "text",
    ["nothing else really", "Not really.", "I can't think of anything else", "nope", "no"],
)
def test_saying_there_is_nothing_more_is_recognised(text: str) -> None:
    assert says_nothing(text)


@pytest.mark.parametrize("text", ["nothing much, just the rain", "a nap", "not bad actually"])
def test_an_answer_that_names_something_is_not_nothing(text: str) -> None:
    assert not says_nothing(text)


async def test_nothing_else_is_not_saved_as_a_good_thing_and_its_why_is_not_asked(act: Act) -> None:
    answer = answered(
        "gratitude_form",
        "good_thing_2",
        "nothing else really",
        slots={"good_thing_1": "a walk", "why_1": "fresh air"},
    )
    events = await act.run(validation("gratitude_form"), **answer)
    assert SlotSet("good_thing_2", SKIPPED) in events
    assert SlotSet("requested_slot", "good_thing_3") in events


async def test_with_no_good_thing_at_all_neither_why_nor_savoring_is_asked(act: Act) -> None:
    passed = {"good_thing_1": SKIPPED, "good_thing_2": SKIPPED}
    answer = answered("gratitude_form", "good_thing_3", "not really", slots=passed)
    events = await act.run(validation("gratitude_form"), **answer)
    assert SlotSet("good_thing_3", SKIPPED) in events
    assert SlotSet("requested_slot", None) in events


def test_the_grounding_summary_reads_every_sense_and_names_those_passed_on() -> None:
    slots = {
        "sense_see": "the blue mug",
        "sense_hear": SKIPPED,
        "sense_touch": "the blanket",
        "sense_smell": SKIPPED,
        "sense_taste": "mint",
    }
    assert summary_of(GROUNDING, slots) == (
        "the blue mug; the blanket; mint. You let sound and smell pass"
    )
    every = {slot: f"answer {n}" for n, slot in enumerate(GROUNDING.slots)}
    assert summary_of(GROUNDING, every) == "answer 0; answer 1; answer 2; answer 3; answer 4"


def test_a_summary_never_reads_a_pass_back_as_an_answer() -> None:
    slots = {"good_thing_1": "soup", "good_thing_2": SKIPPED, "good_thing_3": "a text"}
    assert summary_of(GRATITUDE, slots) == "soup; a text"


async def test_with_everything_passed_on_the_closing_reads_nothing_back(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    slots = dict.fromkeys(GROUNDING.slots, SKIPPED)
    await act.run(ActionSaveEntry(), slots=slots, events=form_events("grounding_form", slots))
    assert responses(act.dispatcher) == [
        "utter_summary_unwritten",
        "utter_entry_shared",
        "utter_what_next",
    ]


@pytest.mark.parametrize(
    ("text", "kept"), [("3 I stop to notice things", 3.0), ("skip", SKIPPED), ("3.5", None)]
)
async def test_a_scale_answer_misread_as_another_exercise_is_read_as_its_form_would(
    text: str, kept: float | str | None, act: Act
) -> None:
    misread = {"name": "choose_grounding", "confidence": 0.42}
    events = await act.run(
        ActionStartExercise(), **asking("ptg_form", "ptg_strength", "explore", text, misread)
    )
    assert events == [SlotSet("ptg_strength", kept), SlotSet("exercise", "ptg_checkin")]
