"""Handing over to people: a crisis, or the client asking for a person, stops reflection work."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.journal import keep_unfinished
from bot.escalation.escalate import ASKED_REASON, escalate
from bot.escalation.reply import crisis_reply, handoff_reply
from bot.settings import Settings
from bot.storage.conversations import latest_client_message
from bot.storage.db import session_scope


def crisis_text(client_id: str) -> str:
    """The entry point escalates crises itself and answers with the same words."""
    settings = Settings.from_env()
    with session_scope(settings.app_database_url) as session:
        return crisis_reply(session, settings, client_id, alerted=False, asks=True)


def hand_over(client_id: str) -> str:
    """Escalates (committed before the reply goes out) and says so; unenrolled senders can't be."""
    settings = Settings.from_env()
    with session_scope(settings.app_database_url) as session:
        message = latest_client_message(session, client_id)
        if message is not None:
            escalate(session, settings, message, client_id, ASKED_REASON)
            session.commit()
        return handoff_reply(session, settings, client_id, alerted=message is not None)


class ActionCrisisSupport(Action):
    """Keeps what an interrupted exercise held, quietly, and answers with the crisis support."""

    def name(self) -> str:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, _shared = keep_unfinished(tracker, domain)
        dispatcher.utter_message(text=crisis_text(tracker.sender_id))
        return events


class ActionRequestHuman(Action):
    """Keeps what an interrupted exercise held and hands the client to the on-call clinician."""

    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, _shared = keep_unfinished(tracker, domain)
        dispatcher.utter_message(text=hand_over(tracker.sender_id))
        return events
