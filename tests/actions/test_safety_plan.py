"""The safety plan form's save: the client's words, kept part by part."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety_plan import ActionSaveSafetyPlan
from bot.storage.db import session_scope
from bot.storage.models import Client, SafetyPlan
from tests.actions.conftest import MakeTracker, responses

ANSWERS = {
    "plan_warning_signs": "I stop answering messages",
    "plan_coping": "a cold shower, the dog",
    "plan_distractions": "the library",
    "plan_people_to_ask": "my sister Ana",
    "plan_professionals": "Dr. Rivera, 988",
    "plan_safer_surroundings": "give the pills to Ana",
}


async def test_a_finished_plan_is_saved_and_the_slots_emptied(
    db_url: str,
    enrolled_client: Client,
    dispatcher: CollectingDispatcher,
    make_tracker: MakeTracker,
    domain: dict[str, Any],
) -> None:
    events = await ActionSaveSafetyPlan().run(dispatcher, make_tracker(slots=ANSWERS), domain)

    assert responses(dispatcher) == ["utter_safety_plan_saved"]
    assert events == [SlotSet(slot, None) for slot in ANSWERS]
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, "sam")
        assert plan.coping == "a cold shower, the dog"
        assert plan.safer_surroundings == "give the pills to Ana"


async def test_going_through_it_again_changes_only_what_was_answered(
    db_url: str,
    enrolled_client: Client,
    make_tracker: MakeTracker,
    domain: dict[str, Any],
) -> None:
    await ActionSaveSafetyPlan().run(CollectingDispatcher(), make_tracker(slots=ANSWERS), domain)
    edit = {"plan_coping": "music", "plan_distractions": "skip"}
    dispatcher = CollectingDispatcher()
    await ActionSaveSafetyPlan().run(dispatcher, make_tracker(slots=edit), domain)

    assert responses(dispatcher) == ["utter_safety_plan_partly_saved"]
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, "sam")
        assert (plan.coping, plan.distractions) == ("music", "the library")
        assert plan.people_to_ask == "my sister Ana"
