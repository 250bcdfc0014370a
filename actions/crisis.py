"""The answer to a crisis: all reflection work stops, and the client is pointed to people."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.journal import keep_unfinished


class ActionCrisisSupport(Action):
    """Keeps what an interrupted exercise held, quietly, and answers with the crisis support."""

    def name(self) -> str:
        return "action_crisis_support"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events, _shared = keep_unfinished(tracker, domain)
        dispatcher.utter_message(response="utter_crisis_support")
        return events
