"""Offering exercises gated by readiness: grounding first when stabilizing, always a way out."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.exercises import FIRST_OFFER, PTG_CHECKIN, Exercise, offered_at
from bot.risk_metadata import DISTRESS_INTENT
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.journal import UnknownClient
from bot.storage.ptg import offer_ptg_if_due

logger = logging.getLogger(__name__)

DECLINE = {"title": "Not now", "payload": "/deny"}
# After an exercise: the way out of the choice of what comes next.
STOP_FOR_TODAY = {"title": "Stop for today", "payload": "/goodbye"}


def readiness_of(tracker: Tracker) -> str:
    """The level `action_check_readiness` set; stabilize when it has not run."""
    return tracker.get_slot("readiness") or "stabilize"


def choice_buttons(exercises: list[Exercise]) -> list[dict[str, str]]:
    """One button per exercise, and always a way to decline."""
    return [{"title": e.title, "payload": f"/{e.intent}"} for e in exercises] + [DECLINE]


def offer(level: str) -> tuple[str, Exercise, list[dict[str, str]]]:
    """The offer's response, the exercise it suggests first, and buttons for the rest."""
    first = FIRST_OFFER.get(level, FIRST_OFFER["stabilize"])
    others = [e for e in offered_at(level) if e is not first]
    buttons = [{"title": "Yes, let's try", "payload": "/affirm"}, *choice_buttons(others)]
    return f"utter_offer_{first.name}", first, buttons


def ptg_offer_due(client_id: str) -> bool:
    """Whether to offer the reflection check-in now; the offer is recorded when it is made."""
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            return offer_ptg_if_due(session, client_id)
    except UnknownClient:
        return False


class ActionOfferExercises(Action):
    """Offers what readiness opens, first suggestion first; the reflection check-in on its pace."""

    def name(self) -> str:
        return "action_offer_exercises"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        level = readiness_of(tracker)
        response, first, buttons = offer(level)
        if (tracker.latest_message.get("intent") or {}).get("name") == DISTRESS_INTENT:
            dispatcher.utter_message(response="utter_distress_ack")
        dispatcher.utter_message(response=response, buttons=buttons)
        if level != "stabilize" and ptg_offer_due(tracker.sender_id):
            dispatcher.utter_message(
                response="utter_offer_ptg",
                buttons=[{"title": PTG_CHECKIN.title, "payload": f"/{PTG_CHECKIN.intent}"}],
            )
        return [SlotSet("offered_exercise", first.name)]


def not_now(dispatcher: CollectingDispatcher, level: str) -> None:
    """Declines a choice the readiness level does not open, pointing to what is open."""
    dispatcher.utter_message(
        response="utter_exercise_not_now", buttons=choice_buttons(offered_at(level))
    )
