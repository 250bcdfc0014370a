"""`action_check_readiness` and the check-in it reads: snapshots with reasons, and every gate."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.journal import ActionStartExercise
from actions.readiness import ActionCheckReadiness, ActionSaveCheckin
from bot.storage.db import session_scope
from bot.storage.models import Client
from bot.storage.readiness import gather_signals, set_growth_setting, snapshots_for
from tests.actions.helpers import Act, responses


async def check(act: Act, **slots: Any) -> str:
    """Runs the readiness action (its messages unread) and returns the level it set."""
    events = await act.run(ActionCheckReadiness(), dispatcher=CollectingDispatcher(), slots=slots)
    (event,) = events
    assert event["name"] == "readiness"
    return event["value"]


async def test_the_level_and_its_reasons_are_stored_per_conversation(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    assert await check(act, mood_score=2.0, risk_level="none") == "stabilize"
    assert await check(act, mood_score=7.0, risk_level="none") == "explore"
    with session_scope(db_url) as session:
        (low, _reasons), (steady, reasons) = snapshots_for(session, "sam")
        assert low.level == "stabilize"
        assert steady.level == "explore"
        assert steady.growth_prompts == "auto"
        assert "no signs of distress" in reasons
        assert "not yet shown: engagement" in reasons


async def test_the_guardrail_risk_level_is_read_when_set(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    assert await check(act, mood_score=8.0, risk_level="crisis") == "stabilize"
    with session_scope(db_url) as session:
        ((_snapshot, reasons),) = snapshots_for(session, "sam")
        assert reasons == ["the safety check noted crisis in this message"]


async def test_an_unenrolled_sender_is_assessed_from_the_moment_only(db_url: str, act: Act) -> None:
    assert await check(act, mood_score=1.0) == "stabilize"


@pytest.mark.parametrize(
    ("setting", "level"), [("off", "stabilize"), ("auto", "explore"), ("on", "grow")]
)
async def test_the_therapist_override_sets_the_level(
    setting: str, level: str, db_url: str, enrolled_client: Client, act: Act
) -> None:
    with session_scope(db_url) as session:
        set_growth_setting(session, "sam", setting)
    assert await check(act, mood_score=7.0, risk_level="none") == level
    with session_scope(db_url) as session:
        ((snapshot, _),) = snapshots_for(session, "sam")
        assert snapshot.growth_prompts == setting


# (readiness, intent) -> whether the exercise starts. Every gate, one row each.
GATES = [
    ("stabilize", "choose_grounding", True),
    ("stabilize", "choose_breathing", True),
    ("stabilize", "choose_safe_place", True),
    ("stabilize", "choose_gratitude", False),
    ("stabilize", "choose_values", False),
    ("stabilize", "choose_narrative", False),
    ("stabilize", "choose_self_compassion", False),
    ("stabilize", "choose_meaning", False),
    ("stabilize", "choose_ptg", False),
    ("explore", "choose_values", True),
    ("explore", "choose_gratitude", True),
    ("explore", "choose_narrative", True),
    ("explore", "choose_self_compassion", True),
    ("explore", "choose_ptg", True),
    ("explore", "choose_meaning", False),
    ("grow", "choose_meaning", True),
    (None, "choose_gratitude", False),
]


@pytest.mark.parametrize(("level", "intent", "starts"), GATES)
async def test_each_gate(
    level: str | None, intent: str, starts: bool, db_url: str, act: Act
) -> None:
    events = await act.run(
        ActionStartExercise(),
        slots={"readiness": level},
        latest_message={"intent": {"name": intent}},
    )
    started = [e["value"] for e in events if e["event"] == "slot" and e["name"] == "exercise"]
    if starts:
        assert started == [intent.removeprefix("choose_").replace("ptg", "ptg_checkin")]
        assert responses(act.dispatcher) == []
    else:
        assert started == [None]
        assert responses(act.dispatcher) == ["utter_exercise_not_now"]
        offered = [b["payload"] for b in act.dispatcher.messages[0]["buttons"]]
        assert "/choose_grounding" in offered and f"/{intent}" not in offered


@pytest.mark.parametrize(("setting", "starts"), [("off", False), ("on", True)])
async def test_the_override_gates_meaning_making_from_check_to_start(
    setting: str, starts: bool, db_url: str, enrolled_client: Client, act: Act
) -> None:
    with session_scope(db_url) as session:
        set_growth_setting(session, "sam", setting)
    level = await check(act, mood_score=6.0, risk_level="none")
    events = await act.run(
        ActionStartExercise(),
        slots={"readiness": level},
        latest_message={"intent": {"name": "choose_meaning"}},
    )
    assert (SlotSet("exercise", "meaning") in events) is starts


async def test_yes_to_an_offer_starts_the_offered_exercise(act: Act) -> None:
    events = await act.run(
        ActionStartExercise(),
        slots={"readiness": "stabilize", "offered_exercise": "grounding"},
        latest_message={"intent": {"name": "affirm"}},
    )
    assert SlotSet("exercise", "grounding") in events
    assert SlotSet("offered_exercise", None) in events


ASKED_FOR_RATING = [
    {"event": "user", "text": "hi"},
    {"event": "slot", "name": "requested_slot", "value": "mood_score"},
    {"event": "user", "text": "6"},
    {"event": "slot", "name": "mood_score", "value": 6.0},
    {"event": "slot", "name": "requested_slot", "value": "mood_word"},
    {"event": "user", "text": "tired"},
    {"event": "slot", "name": "mood_word", "value": "tired"},
    {"event": "slot", "name": "requested_slot", "value": None},
]
# A later greeting in the same conversation: the check-in runs with the rating it has.
GREETED_AGAIN = [
    {"event": "action", "name": "action_save_checkin"},
    {"event": "action", "name": "action_check_readiness"},
    {"event": "user", "text": "hello again"},
    {"event": "action", "name": "checkin_form"},
    {"event": "slot", "name": "mood_score", "value": 6.0},
    {"event": "slot", "name": "mood_word", "value": "tired"},
    {"event": "slot", "name": "requested_slot", "value": None},
]


async def test_the_check_in_is_kept_for_the_mood_trend(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    for score in (3.0, 5.0, None):
        tracker = act.tracker(
            slots={"mood_score": score, "mood_word": "tired"}, events=ASKED_FOR_RATING
        )
        assert await act.run(ActionSaveCheckin(), tracker) == []
    with session_scope(db_url) as session:
        signals = gather_signals(session, "sam", risk_level=None, mood_now=None)
        assert signals.recent_moods == (3.0, 5.0)


async def test_a_rating_is_kept_once_and_not_again_at_a_later_greeting(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    slots = {"mood_score": 6.0, "mood_word": "tired"}
    for events in (ASKED_FOR_RATING, [*ASKED_FOR_RATING, *GREETED_AGAIN]):
        await act.run(ActionSaveCheckin(), slots=slots, events=events)
    with session_scope(db_url) as session:
        signals = gather_signals(session, "sam", risk_level=None, mood_now=None)
        assert signals.recent_moods == (6.0,)
