"""Handing over in the action server: a crisis and a request for a person."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.crisis import ActionCrisisSupport, ActionPersonNotUrgent, ActionRequestHuman
from bot.escalation.escalate import CRISIS_REASON, escalate
from bot.escalation.reply import NOTED_NOT_URGENT, NOTHING_WAITING, SAFETY_QUESTION, WHO_KNOWS
from bot.settings import Settings
from bot.storage.conversations import current_conversation, record
from bot.storage.db import session_scope
from bot.storage.escalations import is_crisis_mode
from bot.storage.models import Client, Escalation, OutboxDelivery
from guardrails import RiskAssessment
from tests.actions.helpers import Act


def stored_message(db_url: str, text: str) -> None:
    """What the entry point does before Rasa sees a message."""
    with session_scope(db_url) as session:
        conversation = current_conversation(session, "sam", 60)
        record(session, conversation, "client", text, risk=RiskAssessment("none", ()))


def escalations(session: Session) -> list[Escalation]:
    return list(session.scalars(select(Escalation)))


async def test_asking_for_a_person_escalates_before_the_reply(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    stored_message(db_url, "can i talk to a real person")
    await act.run(ActionRequestHuman())

    (message,) = act.dispatcher.messages
    # An honest, prompt answer about a person, not the suicide-crisis text.
    assert "on-call clinician" in message["text"] and "not urgent" in message["text"]
    assert "988" not in message["text"] and SAFETY_QUESTION not in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["It can wait"]
    with session_scope(db_url) as session:
        (escalation,) = escalations(session)
        assert escalation.reason == "the client asked for a person"
        assert escalation.message.text == "can i talk to a real person"
        assert escalation.urgent and not is_crisis_mode(escalation)
        assert session.scalars(select(OutboxDelivery)).first() is not None
    # Asking again while someone is on the way opens nothing new.
    await act.run(ActionRequestHuman(), dispatcher=CollectingDispatcher())
    with session_scope(db_url) as session:
        assert len(escalations(session)) == 1


async def test_a_request_for_a_person_can_be_marked_not_urgent_and_a_crisis_overrides_it(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    nothing = CollectingDispatcher()
    await act.run(ActionPersonNotUrgent(), dispatcher=nothing)
    assert nothing.messages[0]["text"] == NOTHING_WAITING

    stored_message(db_url, "can someone from the clinic call me")
    await act.run(ActionRequestHuman(), dispatcher=CollectingDispatcher())
    noted = CollectingDispatcher()
    await act.run(ActionPersonNotUrgent(), dispatcher=noted)
    assert noted.messages[0]["text"] == NOTED_NOT_URGENT
    with session_scope(db_url) as session:
        (escalation,) = escalations(session)
        assert escalation.urgent is False
        queued = len(list(session.scalars(select(OutboxDelivery))))

    with session_scope(db_url) as session:
        conversation = current_conversation(session, "sam", 60)
        crisis = record(
            session,
            conversation,
            "client",
            "i'm going to jump tonight",
            risk=RiskAssessment("crisis", ("suicide_intent",)),
        )
        escalate(session, Settings.from_env(), crisis, "sam", CRISIS_REASON)
    with session_scope(db_url) as session:
        (escalation,) = escalations(session)
        assert (escalation.reason, escalation.urgent) == (CRISIS_REASON, True)
        assert escalation.message.text == "i'm going to jump tonight"
        assert is_crisis_mode(escalation)
        # The contact hears of the crisis at once, not at the next re-notification.
        assert len(list(session.scalars(select(OutboxDelivery)))) > queued
    # In crisis mode the request cannot be marked down.
    again = CollectingDispatcher()
    await act.run(ActionPersonNotUrgent(), dispatcher=again)
    assert again.messages[0]["text"] == NOTHING_WAITING


async def test_an_unenrolled_sender_is_pointed_to_people_without_an_escalation(
    db_url: str, act: Act
) -> None:
    await act.run(ActionRequestHuman(), sender_id="shell")
    (message,) = act.dispatcher.messages
    assert WHO_KNOWS["nobody"] in message["text"] and "988" in message["text"]
    with session_scope(db_url) as session:
        assert escalations(session) == []


async def test_the_crisis_action_says_what_the_entry_point_says(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    await act.run(ActionCrisisSupport())
    (message,) = act.dispatcher.messages
    assert "are you safe right now?" in message["text"]
    assert "741741" in message["text"]
