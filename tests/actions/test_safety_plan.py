"""The safety plan form's save: the client's words, kept part by part."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety_plan import ActionSaveSafetyPlan
from bot.storage.db import session_scope
from bot.storage.models import Client, SafetyPlan
from tests.actions.helpers import Act, responses

ANSWERS = {
    "plan_warning_signs": "I stop answering messages",
    "plan_coping": "a cold shower, the dog",
    "plan_distractions": "the library",
    "plan_people_to_ask": "my sister Ana",
    "plan_professionals": "Dr. Rivera, 988",
    "plan_safer_surroundings": "give the pills to Ana",
}


async def test_a_finished_plan_is_saved_and_the_slots_emptied(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    events = await act.run(ActionSaveSafetyPlan(), slots=ANSWERS)

    assert responses(act.dispatcher) == ["utter_safety_plan_saved"]
    assert events == [SlotSet(slot, None) for slot in ANSWERS]
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, "sam")
        assert plan.coping == "a cold shower, the dog"
        assert plan.safer_surroundings == "give the pills to Ana"


async def test_going_through_it_again_changes_only_what_was_answered(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    await act.run(ActionSaveSafetyPlan(), dispatcher=CollectingDispatcher(), slots=ANSWERS)
    edit = {"plan_coping": "music", "plan_distractions": "skip"}
    dispatcher = CollectingDispatcher()
    await act.run(ActionSaveSafetyPlan(), dispatcher=dispatcher, slots=edit)

    assert responses(dispatcher) == ["utter_safety_plan_partly_saved"]
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, "sam")
        assert (plan.coping, plan.distractions) == ("music", "the library")
        assert plan.people_to_ask == "my sister Ana"
