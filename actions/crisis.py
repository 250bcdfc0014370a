"""Handing over to people: a crisis, or the client asking for a person, stops reflection work."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.journal import keep_unfinished
from actions.safety import utter_checked
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


class HandOverAction(Action, ABC):
    """Ends any running exercise, keeping what it held, and answers with people to turn to."""

    @abstractmethod
    def reply(self, client_id: str) -> str:
        """The text to send; any escalation is committed before it is built."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, _shared = keep_unfinished(tracker, domain)
        utter_checked(dispatcher, tracker, domain, text=self.reply(tracker.sender_id))
        return events


class ActionCrisisSupport(HandOverAction):
    """The crisis answer, in the same words the entry point uses."""

    def name(self) -> str:
        return "action_crisis_support"

    def reply(self, client_id: str) -> str:
        return crisis_text(client_id)


class ActionRequestHuman(HandOverAction):
    """Hands the client to the on-call clinician when they ask for a person."""

    def name(self) -> str:
        return "action_request_human"

    def reply(self, client_id: str) -> str:
        return hand_over(client_id)
