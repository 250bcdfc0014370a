"""`action_check_readiness`: runs at check-in and before any exercise, and gates what is offered."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.readiness import Readiness, Signals, assess
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.journal import UnknownClient
from bot.storage.readiness import gather_signals, growth_setting, record_mood, save_snapshot

logger = logging.getLogger(__name__)

# Set on every user turn by the guardrail layer: none | concern | crisis. Missing means unknown.
RISK_SLOT = "risk_level"
SAVE_CHECKIN = "action_save_checkin"


def check_readiness(client_id: str, risk_level: str | None, mood_now: float | None) -> Readiness:
    """Assesses the client from this moment and their history, and stores the snapshot."""
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            setting = growth_setting(session, client_id)
            signals = gather_signals(session, client_id, risk_level=risk_level, mood_now=mood_now)
            readiness = assess(signals, setting)
            save_snapshot(session, client_id, readiness, setting)
            return readiness
    except UnknownClient:
        logger.warning("readiness for unenrolled sender %s is read from this moment", client_id)
        return assess(Signals(risk_level=risk_level, mood_now=mood_now))


def current_mood(tracker: Tracker) -> float | None:
    """Today's rating when the check-in ran in this conversation."""
    score = tracker.get_slot("mood_score")
    return float(score) if isinstance(score, (int, float)) else None


class ActionCheckReadiness(Action):
    """Sets the `readiness` slot that the offers and the exercise starts are gated by."""

    def name(self) -> str:
        return "action_check_readiness"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        risk = tracker.get_slot(RISK_SLOT)
        readiness = check_readiness(
            tracker.sender_id, risk if isinstance(risk, str) else None, current_mood(tracker)
        )
        return [SlotSet("readiness", readiness.level)]


def rating_is_new(events: Sequence[Mapping[str, Any]]) -> bool:
    """Whether the check-in asked for the rating since it was last kept.

    A later greeting in the same conversation runs the check-in again with the rating it already
    has, without asking: that rating was kept once and is not kept again.
    """
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") == SAVE_CHECKIN:
            return False
        asked = event.get("event") == "slot" and event.get("name") == "requested_slot"
        if asked and event.get("value") == "mood_score":
            return True
    return False


class ActionSaveCheckin(Action):
    """Keeps the check-in's rating and word once, when the client gives them."""

    def name(self) -> str:
        return SAVE_CHECKIN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        score = current_mood(tracker)
        if score is None or not rating_is_new(tracker.events):
            return []
        try:
            with session_scope(Settings.from_env().app_database_url) as session:
                record_mood(session, tracker.sender_id, score, tracker.get_slot("mood_word"))
        except UnknownClient:
            logger.warning("not keeping a check-in for unenrolled sender %s", tracker.sender_id)
        return []
