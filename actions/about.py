"""Saying honestly what the assistant is, with the crisis lines of the client's own locale."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.escalation.config import crisis_lines
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import Client


def lines_for(client_id: str) -> str:
    """The client's crisis lines, one per line; an unknown sender gets the default locale's."""
    settings = Settings.from_env()
    with session_scope(settings.app_database_url) as session:
        client = session.get(Client, client_id)
        locale = client.locale if client is not None else ""
    lines = crisis_lines(settings.config_path(settings.crisis_resources_file), locale)
    return "\n".join(f"- {line}" for line in lines)


class ActionWhatIAm(Action):
    """Answers "are you a bot?": not a person, not a therapist, and where to turn in danger."""

    def name(self) -> str:
        return "action_what_i_am"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_what_i_am", lines=lines_for(tracker.sender_id))
        return []
