"""Handing over in the action server: a crisis and a request for a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.crisis import ActionCrisisSupport, ActionRequestHuman
from bot.escalation.reply import WHO_KNOWS
from bot.storage.conversations import current_conversation, record
from bot.storage.db import session_scope
from bot.storage.models import Client, Escalation, OutboxDelivery
from guardrails import RiskAssessment
from tests.actions.conftest import MakeTracker


def stored_message(db_url: str, text: str) -> None:
    """What the entry point does before Rasa sees a message."""
    with session_scope(db_url) as session:
        conversation = current_conversation(session, "sam", 60)
        record(session, conversation, "client", text, risk=RiskAssessment("none", ()))


def escalations(session: Session) -> list[Escalation]:
    return list(session.scalars(select(Escalation)))


async def test_asking_for_a_person_escalates_before_the_reply(
    db_url: str,
    enrolled_client: Client,
    dispatcher: CollectingDispatcher,
    make_tracker: MakeTracker,
    domain: dict[str, Any],
) -> None:
    stored_message(db_url, "can i talk to a real person")
    await ActionRequestHuman().run(dispatcher, make_tracker(), domain)

    (message,) = dispatcher.messages
    assert "on-call clinician" in message["text"] and "988" in message["text"]
    with session_scope(db_url) as session:
        (escalation,) = escalations(session)
        assert escalation.reason == "the client asked for a person"
        assert escalation.message.text == "can i talk to a real person"
        assert session.scalars(select(OutboxDelivery)).first() is not None
    # Asking again while someone is on the way opens nothing new.
    await ActionRequestHuman().run(CollectingDispatcher(), make_tracker(), domain)
    with session_scope(db_url) as session:
        assert len(escalations(session)) == 1


async def test_an_unenrolled_sender_is_pointed_to_people_without_an_escalation(
    db_url: str, dispatcher: CollectingDispatcher, make_tracker: MakeTracker, domain: dict[str, Any]
) -> None:
    await ActionRequestHuman().run(dispatcher, make_tracker(sender_id="shell"), domain)
    (message,) = dispatcher.messages
    assert WHO_KNOWS["nobody"] in message["text"] and "988" in message["text"]
    with session_scope(db_url) as session:
        assert escalations(session) == []


async def test_the_crisis_action_says_what_the_entry_point_says(
    db_url: str,
    enrolled_client: Client,
    dispatcher: CollectingDispatcher,
    make_tracker: MakeTracker,
    domain: dict[str, Any],
) -> None:
    await ActionCrisisSupport().run(dispatcher, make_tracker(), domain)
    (message,) = dispatcher.messages
    assert "are you safe right now?" in message["text"]
    assert "741741" in message["text"]
