"""Handing over to people: a crisis, or the client asking for a person, stops reflection work."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.journal import keep_at_risk, keep_unfinished
from actions.safety import utter_checked
from bot.escalation.config import LineKind
from bot.escalation.escalate import escalate
from bot.escalation.reply import (
    NOTED_NOT_URGENT,
    NOTHING_WAITING,
    crisis_reply,
    handoff_reply,
)
from bot.risk_metadata import RISK_KEY, from_metadata
from bot.settings import Settings
from bot.storage.conversations import latest_client_message
from bot.storage.db import session_scope
from bot.storage.escalations import ASKED_REASON, mark_not_urgent

# Offered with the answer to asking for a person; the client may also say it in words.
CAN_WAIT = {"title": "It can wait", "payload": "/not_urgent"}


def crisis_text(client_id: str, kinds: frozenset[LineKind]) -> str:
    """The entry point escalates crises itself and answers with the same words."""
    settings = Settings.from_env()
    with session_scope(settings.app_database_url) as session:
        return crisis_reply(session, settings, client_id, alerted=False, asks=True, kinds=kinds)


def kinds_of(tracker: Tracker) -> frozenset[LineKind]:
    """What the latest message's categories call for (see guardrails/rules/taxonomy.yaml)."""
    assessment = from_metadata({RISK_KEY: tracker.latest_message.get(RISK_KEY)})
    found = assessment.replies() if assessment is not None else frozenset()
    return found or frozenset({"crisis"})  # type: ignore[return-value]


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
    def reply(self, tracker: Tracker) -> str:
        """The text to send; any escalation is committed before it is built."""

    def keep(self, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Saves what the exercise held; returns the slot resets."""
        events, _shared = keep_unfinished(tracker, domain)
        return events

    buttons: tuple[dict[str, str], ...] = ()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = self.keep(tracker, domain)
        utter_checked(
            dispatcher, tracker, domain, text=self.reply(tracker), buttons=list(self.buttons)
        )
        return events


class ActionCrisisSupport(HandOverAction):
    """The crisis answer, in the same words the entry point uses.

    An exercise it ends is kept for the clinician with the answer that ended it, never as an
    ordinary entry: not summarised, not resumed.
    """

    def name(self) -> str:
        return "action_crisis_support"

    def keep(self, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return keep_at_risk(tracker, domain)

    def reply(self, tracker: Tracker) -> str:
        return crisis_text(tracker.sender_id, kinds_of(tracker))


class ActionRequestHuman(HandOverAction):
    """Hands the client to the on-call clinician when they ask for a person."""

    buttons = (CAN_WAIT,)

    def name(self) -> str:
        return "action_request_human"

    def reply(self, tracker: Tracker) -> str:
        return hand_over(tracker.sender_id)


def not_urgent(client_id: str) -> str:
    """Marks the client's open request for a person as able to wait, and says what happened."""
    settings = Settings.from_env()
    with session_scope(settings.app_database_url) as session:
        return NOTED_NOT_URGENT if mark_not_urgent(session, client_id) else NOTHING_WAITING


class ActionPersonNotUrgent(Action):
    """The client says their request for a person can wait: clinicians see it as not urgent."""

    def name(self) -> str:
        return "action_person_not_urgent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        utter_checked(dispatcher, tracker, domain, text=not_urgent(tracker.sender_id))
        return []
