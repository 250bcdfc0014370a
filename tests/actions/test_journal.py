"""Saving entries when an exercise ends, finished or stopped."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet

from actions.exercises import GRATITUDE, last_exercise, prompt_text
from actions.journal import ActionSaveEntry, ActionStopExercise
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from tests.actions.helpers import Act, form_events, responses

# Every test here acts for Sam, an enrolled client who shares entries by default.
pytestmark = pytest.mark.usefixtures("enrolled_client")

# After an exercise at `stabilize`: the suggestion, the other steadying choices, a way out.
STABILIZING_NEXT = [
    "Yes, five senses",
    "Slow breathing",
    "A safe place",
    "Just writing",
    "Body scan",
    "Stop for today",
]
ANSWERS = {
    "good_thing_1": "my sister called",
    "why_1": "I felt less alone",
    "good_thing_2": "coffee in the sun",
    "why_2": "it was quiet",
    "good_thing_3": "finished a book",
    "why_3": "I can still focus",
}


def test_the_exercise_is_read_from_the_last_active_form() -> None:
    events = [
        {"event": "active_loop", "name": "checkin_form"},
        {"event": "active_loop", "name": "gratitude_form"},
        {"event": "active_loop", "name": None},
    ]
    assert last_exercise(events) is GRATITUDE
    assert last_exercise(events[:1]) is None


def test_prompts_are_the_questions_of_the_domain(domain: dict[str, Any]) -> None:
    assert prompt_text(domain, "why_1") == domain["responses"]["utter_ask_why_1"][0]["text"]


async def test_a_finished_exercise_is_saved_and_summed_up(db_url: str, act: Act) -> None:
    gratitude = form_events("gratitude_form", ANSWERS)
    events = await act.run(ActionSaveEntry(), slots=ANSWERS, events=gratitude)

    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert entry.exercise == "gratitude"
        assert entry.completed is True
        assert entry.shared_with_therapist is True
        assert [i.answer for i in entry.items] == list(ANSWERS.values())
        assert entry.items[0].prompt == prompt_text(act.domain, "good_thing_1")
        assert all(i.answered_at is not None for i in entry.items)
    assert responses(act.dispatcher) == [
        "utter_summary_gratitude",
        "utter_entry_shared",
        "utter_what_next",
    ]
    assert (
        act.dispatcher.messages[0]["summary"]
        == "my sister called; coffee in the sun; finished a book"
    )
    # What comes next: one suggestion readiness opens (a yes starts it), the others, a way out.
    what_next = act.dispatcher.messages[2]
    assert what_next["title"] == "Five senses"
    assert [b["title"] for b in what_next["buttons"]] == STABILIZING_NEXT
    assert SlotSet("offered_exercise", "grounding") in events
    assert [SlotSet(slot, None) for slot in GRATITUDE.slots] == events[: len(GRATITUDE.slots)]
    assert SlotSet("exercise", None) in events


async def test_an_unenrolled_sender_is_told_the_entry_was_not_saved(act: Act) -> None:
    gratitude = form_events("gratitude_form", ANSWERS)
    await act.run(ActionSaveEntry(), sender_id="stranger", slots=ANSWERS, events=gratitude)
    assert responses(act.dispatcher) == [
        "utter_summary_gratitude",
        "utter_entry_not_saved",
        "utter_what_next",
    ]


async def test_stopping_midway_keeps_what_was_written(db_url: str, act: Act) -> None:
    partial = {"good_thing_1": "a long bath", "why_1": "my body relaxed"}
    gratitude = form_events("gratitude_form", partial)
    events = await act.run(ActionStopExercise(), slots=partial, events=gratitude)

    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert entry.completed is False
        assert [i.answer for i in entry.items] == ["a long bath", "my body relaxed"]
    assert responses(act.dispatcher) == ["utter_exercise_stopped", "utter_entry_shared"]
    assert SlotSet("good_thing_1", None) in events


async def test_stopping_before_any_answer_saves_nothing(db_url: str, act: Act) -> None:
    await act.run(ActionStopExercise(), events=form_events("gratitude_form", {}))
    with session_scope(db_url) as session:
        assert entries_for(session, "sam") == []
    assert responses(act.dispatcher) == ["utter_exercise_stopped"]


async def test_stopping_the_check_in_just_stops(db_url: str, act: Act) -> None:
    checkin = [{"event": "active_loop", "name": "checkin_form"}]
    assert await act.run(ActionStopExercise(), events=checkin) == []
    assert responses(act.dispatcher) == ["utter_exercise_stopped"]


@pytest.mark.parametrize("risk", ["none", "concern"])
async def test_what_comes_next_is_paced_by_what_was_said_during_the_exercise(
    risk: str, db_url: str, act: Act
) -> None:
    # Readiness was `explore` when gratitude began; a concern in an answer since then means
    # only stabilizing exercises come next.
    events = [
        {"event": "action", "name": "action_start_exercise"},
        *form_events("gratitude_form", ANSWERS),
        {"event": "slot", "name": "risk_level", "value": risk},
    ]
    await act.run(ActionSaveEntry(), slots={**ANSWERS, "readiness": "explore"}, events=events)
    what_next = act.dispatcher.messages[-1]
    titles = [b["title"] for b in what_next["buttons"]]
    if risk == "concern":
        assert titles == STABILIZING_NEXT
    else:
        assert "What matters to me" in titles
