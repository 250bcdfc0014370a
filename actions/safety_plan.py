"""Saving the safety plan when its form ends, finished or stopped early."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import IntegrityError

from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.safety_plans import PARTS, save_plan

logger = logging.getLogger(__name__)


def slot_for(part: str) -> str:
    return f"plan_{part}"


class ActionSaveSafetyPlan(Action):
    """Keeps every answer given, then empties the slots so the next run asks afresh."""

    def name(self) -> str:
        return "action_save_safety_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        answers = {part: tracker.get_slot(slot_for(part)) for part in PARTS}
        try:
            with session_scope(Settings.from_env().app_database_url) as session:
                save_plan(session, tracker.sender_id, answers)
        except IntegrityError:  # not an enrolled client, e.g. `rasa shell`
            logger.warning("not saving a safety plan for unenrolled sender %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_entry_not_saved")
            return [SlotSet(slot_for(part), None) for part in PARTS]
        finished = all(answers.values())
        dispatcher.utter_message(
            response="utter_safety_plan_saved" if finished else "utter_safety_plan_partly_saved"
        )
        return [SlotSet(slot_for(part), None) for part in PARTS]
