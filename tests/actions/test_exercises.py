"""Exercises as data: their validation, switching midway, resuming, values follow-up, check-in."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.checkin import ValidateCheckinForm
from actions.exercises import EXERCISES, NARRATIVE, PTG_CHECKIN, VALUES, collect_answers
from actions.journal import (
    ActionResumeExercise,
    ActionSaveEntry,
    ActionStartExercise,
    ActionStopExercise,
)
from bot.readiness import SKIPPED
from bot.storage.db import session_scope
from bot.storage.journal import Answer, entries_for
from bot.storage.models import Client
from bot.storage.ptg import ptg_trend
from tests.actions.helpers import (
    Act,
    answered,
    asking,
    form_events,
    responses,
    store_entry,
    validation,
)


def test_every_exercise_form_is_in_the_domain_with_a_registered_validation(
    domain: dict[str, Any],
) -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    for exercise in EXERCISES.values():
        assert domain["forms"][exercise.form]["required_slots"] == list(exercise.slots)
        assert f"validate_{exercise.form}" in executor.actions
        assert f"utter_summary_{exercise.name}" in domain["responses"]
        for slot in exercise.slots:
            assert f"utter_ask_{slot}" in domain["responses"]


async def test_scale_answers_become_numbers_and_out_of_range_ones_are_asked_again(act: Act) -> None:
    good, bad = CollectingDispatcher(), CollectingDispatcher()
    for dispatcher, answer, expected in ((good, "about a 4", 4.0), (bad, "6", None)):
        events = await act.run(
            validation("ptg_form"),
            dispatcher=dispatcher,
            **answered("ptg_form", "ptg_strength", answer),
        )
        assert SlotSet("ptg_strength", expected) in events
    assert responses(good) == []
    assert responses(bad) == ["utter_scale_invalid"]
    assert bad.messages[0]["top"] == 5


async def test_a_skipped_prompt_is_kept_as_skipped(act: Act) -> None:
    answer = answered("meaning_form", "meaning_life", "Skip.")
    events = await act.run(validation("meaning_form"), **answer)
    assert SlotSet("meaning_life", SKIPPED) in events


async def test_values_asks_how_last_time_went_only_when_there_was_a_step(act: Act) -> None:
    form = validation("values_form")
    slots = list(VALUES.slots)
    with_step = act.tracker(slots={"previous_value_action": "call jo"}, active_loop="values_form")
    without = act.tracker(active_loop="values_form")
    assert await form.required_slots(slots, act.dispatcher, with_step, act.domain) == slots
    assert await form.required_slots(slots, act.dispatcher, without, act.domain) == slots[1:]
    events = await act.run(form, without)
    assert SlotSet("requested_slot", "value_area") in events


async def test_starting_values_looks_up_last_weeks_step(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    store_entry(db_url, "values", [Answer("q", "call jo", slot="value_action")], completed=True)
    events = await act.run(
        ActionStartExercise(),
        slots={"readiness": "explore"},
        latest_message={"intent": {"name": "choose_values"}},
    )
    assert SlotSet("previous_value_action", "call jo") in events
    assert events[-1] == SlotSet("exercise", "values")


async def test_switching_midway_keeps_what_was_written_and_starts_the_new_one(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    partial = {"good_thing_1": "a warm shower"}
    events = await act.run(
        ActionStartExercise(),
        slots={**partial, "readiness": "explore", "requested_slot": "why_1"},
        events=form_events("gratitude_form", partial),
        active_loop="gratitude_form",
        latest_message={"intent": {"name": "choose_breathing"}},
    )
    assert events[:2] == [ActiveLoop(None), SlotSet("requested_slot", None)]
    assert SlotSet("good_thing_1", None) in events
    assert events[-1] == SlotSet("exercise", "breathing")
    assert responses(act.dispatcher) == ["utter_switching", "utter_entry_shared"]
    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert (entry.exercise, entry.completed) == ("gratitude", False)
        assert [(i.slot, i.answer) for i in entry.items] == [("good_thing_1", "a warm shower")]


@pytest.mark.parametrize("intent", ["choose_self_compassion", "resume_exercise"])
async def test_a_choice_the_model_is_unsure_of_mid_exercise_is_an_answer(
    intent: str, db_url: str, enrolled_client: Client, act: Act
) -> None:
    unsure = {"name": intent, "confidence": 0.54}
    action = ActionStartExercise() if intent.startswith("choose") else ActionResumeExercise()
    events = await act.run(
        action, **asking("values_form", "value_action", "explore", "moving gently", unsure)
    )
    assert events == [SlotSet("value_action", "moving gently"), SlotSet("exercise", "values")]
    assert responses(act.dispatcher) == []
    with session_scope(db_url) as session:
        assert entries_for(session, "sam") == []


async def test_resuming_restores_the_answers_so_far_once(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    partial = {"chapter_title": "the long winter", "strength_moment": "asking for help"}
    events_so_far = form_events("narrative_form", partial)
    store_entry(
        db_url,
        "narrative",
        collect_answers(NARRATIVE, partial, events_so_far, act.domain),
        completed=False,
    )
    tracker = act.tracker(slots={"readiness": "explore"})

    first = CollectingDispatcher()
    events = await act.run(ActionResumeExercise(), tracker, dispatcher=first)
    assert events == [
        SlotSet("chapter_title", "the long winter"),
        SlotSet("strength_moment", "asking for help"),
        SlotSet("exercise", "narrative"),
    ]
    assert responses(first) == ["utter_resuming"]
    assert first.messages[0]["title"] == "My story"

    again = CollectingDispatcher()
    assert await act.run(ActionResumeExercise(), tracker, dispatcher=again) == [
        SlotSet("exercise", None)
    ]
    assert responses(again) == ["utter_nothing_to_resume"]


async def test_an_unfinished_exercise_readiness_does_not_open_is_not_resumed(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    store_entry(db_url, "narrative", [Answer("q", "x", slot="chapter_title")], completed=False)
    assert await act.run(ActionResumeExercise(), slots={"readiness": "stabilize"}) == [
        SlotSet("exercise", None)
    ]
    # Said honestly: one is waiting, but it isn't open now; the open ones are the choice.
    assert responses(act.dispatcher) == ["utter_exercise_not_now"]


async def test_a_finished_reflection_check_in_is_stored_with_its_date_zeros_included(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    scores = dict(zip(PTG_CHECKIN.slots, (3.0, 0.0, 4.0, 2.0, 5.0), strict=True))
    await act.run(ActionSaveEntry(), slots=scores, events=form_events("ptg_form", scores))
    assert responses(act.dispatcher) == [
        "utter_summary_ptg_checkin",
        "utter_entry_shared",
        "utter_what_next",
    ]
    with session_scope(db_url) as session:
        (checkin,) = ptg_trend(session, "sam")
        assert checkin.answered_at is not None
        assert [checkin.appreciation, checkin.relationships, checkin.spiritual] == [3, 0, 5]
        (entry,) = entries_for(session, "sam")
        assert [i.answer for i in entry.items] == ["3", "0", "4", "2", "5"]


async def test_naming_the_exercise_under_way_answers_it_instead_of_restarting(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    events = await act.run(
        ActionStartExercise(),
        **asking(
            "safe_place_form",
            "safe_place",
            "stabilize",
            "my safe place is the beach",
            {"name": "choose_safe_place"},
        ),
    )
    assert events == [
        SlotSet("safe_place", "my safe place is the beach"),
        SlotSet("exercise", "safe_place"),
    ]
    assert responses(act.dispatcher) == []
    with session_scope(db_url) as session:
        assert entries_for(session, "sam") == []


def stopped_grounding(text: str) -> dict[str, Any]:
    """The tracker fields after a stop intent ended the grounding form at its second question."""
    return {
        "slots": {"sense_see": "the window"},
        "events": [
            *form_events("grounding_form", {"sense_see": "the window"}),
            {"event": "slot", "name": "requested_slot", "value": "sense_hear"},
            {"event": "active_loop", "name": None},
            {"event": "slot", "name": "requested_slot", "value": None},
        ],
        "latest_message": {"intent": {"name": "stop", "confidence": 1.0}, "text": text},
    }


@pytest.mark.parametrize("text", ["stop", "this is too much, stop", "pause pls"])
async def test_a_stop_ends_the_exercise_and_keeps_what_was_written(
    text: str, db_url: str, enrolled_client: Client, act: Act
) -> None:
    await act.run(ActionStopExercise(), **stopped_grounding(text))
    assert responses(act.dispatcher) == ["utter_exercise_stopped", "utter_entry_shared"]
    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert (entry.exercise, entry.completed) == ("grounding", False)
        assert [item.answer for item in entry.items] == ["the window"]


@pytest.mark.parametrize(("intent", "acknowledged"), [("distress", True), ("share", False)])
async def test_a_distressed_answer_is_kept_and_acknowledged_before_the_next_question(
    intent: str, acknowledged: bool, act: Act
) -> None:
    text = "everything went dark when i got that letter"
    said = {"intent": {"name": intent, "confidence": 1.0}, "text": text}
    answer = answered("narrative_form", "strength_moment", text, latest_message=said)
    events = await act.run(validation("narrative_form"), **answer)
    assert SlotSet("strength_moment", text) in events
    assert ("utter_distress_noted" in responses(act.dispatcher)) is acknowledged


async def test_in_the_check_in_a_distressed_mood_word_is_just_the_answer(act: Act) -> None:
    distress = {"intent": {"name": "distress", "confidence": 1.0}}
    answer = answered("checkin_form", "mood_word", "panicky and hopeless", latest_message=distress)
    events = await act.run(ValidateCheckinForm(), **answer)
    assert SlotSet("mood_word", "panicky and hopeless") in events
    assert responses(act.dispatcher) == []


def test_every_exercise_is_a_value_of_the_slot_its_rules_run_on(domain: dict) -> None:
    # An exercise missing here would be featurized like any other unknown value, and its
    # rules would contradict those of the others.
    assert set(domain["slots"]["exercise"]["values"]) == {e.name for e in EXERCISES.values()}
