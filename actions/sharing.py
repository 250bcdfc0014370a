"""Changing whether the therapist can read an entry, by saying so ("keep that private")."""

from __future__ import annotations

import logging
import re

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.exercises import BY_NAME, EXERCISES
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.journal import UnknownClient, set_latest_entry_sharing
from bot.storage.models import Client

logger = logging.getLogger(__name__)

# Set during an exercise; `store_entry` saves the entry with it.
SHARING_SLOT = "entry_sharing"
SHARE_INTENTS = {"keep_private": False, "allow_sharing": True}
# "I'm not comfortable with my therapist seeing that" can be misread as a wish to share.
_NEGATION = re.compile(
    r"\b(?:not|no|never|rather|don'?t|doesn'?t|didn'?t|shouldn'?t|wouldn'?t|"
    r"can'?t|won'?t|unshare)\b|n't\b",
    re.IGNORECASE,
)


def unsure_to_share(text: str) -> bool:
    """Whether a wish to share is worded with a negation, so it might mean the opposite.

    Sharing by mistake cannot be taken back once the therapist has read the entry; keeping an
    entry private by mistake can. So a negated "share" is asked about, never acted on.
    """
    return bool(_NEGATION.search(text.replace("\u2019", "'")))


def sharing_said(tracker: Tracker) -> bool | None:
    """Whether the client asked during this exercise to share its entry (True), to keep it
    private (False), or said nothing (None: their default applies)."""
    said = tracker.get_slot(SHARING_SLOT)
    return None if said is None else said == "shared"


def change_latest_entry(dispatcher: CollectingDispatcher, client_id: str, shared: bool) -> None:
    """Changes the entry saved last in this conversation and says what is now true."""
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            change = set_latest_entry_sharing(session, client_id, shared)
            client = session.get(Client, client_id)
            default = bool(client and client.share_by_default)
    except UnknownClient:
        logger.warning("no entries to share or keep private for unenrolled sender %s", client_id)
        change, default = None, False
    if change is None:
        dispatcher.utter_message(
            response="utter_sharing_nothing_to_change",
            default="shared with your therapist" if default else "private",
        )
        return
    state = "shared" if change.shared else "private"
    dispatcher.utter_message(
        response=f"utter_sharing_{'now' if change.changed else 'already'}_{state}",
        title=BY_NAME[change.exercise].title,
    )


class ActionChangeSharing(Action):
    """During an exercise it sets how its entry will be saved; after one, it changes that entry."""

    def name(self) -> str:
        return "action_change_sharing"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        shared = SHARE_INTENTS.get(intent or "")
        if shared is None:
            return []
        if shared and unsure_to_share(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_sharing_which")
            return []
        if tracker.active_loop.get("name") in EXERCISES:
            response = "utter_sharing_will_be_shared" if shared else "utter_sharing_will_be_private"
            dispatcher.utter_message(response=response)
            return [SlotSet(SHARING_SLOT, "shared" if shared else "private")]
        change_latest_entry(dispatcher, tracker.sender_id, shared)
        return []
