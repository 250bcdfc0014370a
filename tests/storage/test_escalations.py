"""Escalation records on a real SQLite file: opening, re-notifying, acknowledging, resolving."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.escalation.config import Contact, OnCall
from bot.storage.conversations import as_utc, current_conversation, record
from bot.storage.deliveries import deliveries_of
from bot.storage.escalations import (
    EscalationError,
    acknowledge,
    active_escalation,
    open_escalation,
    renotify_overdue,
    resolve,
)
from bot.storage.models import Client, Message, OutboxDelivery, utcnow
from guardrails import RiskAssessment

CONTACTS = [
    Contact("First", email="first@clinic.example", webhook="http://127.0.0.1:1/first"),
    Contact("Second", email="second@clinic.example"),
]
ON_CALL = OnCall(tuple(CONTACTS))


def crisis_message(session: Session) -> Message:
    conversation = current_conversation(session, "sam", 60)
    risk = RiskAssessment("crisis", ("plan",))
    return record(session, conversation, "client", "tonight is the night", risk=risk)


def outbox(session: Session) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(OutboxDelivery).order_by(OutboxDelivery.id))
    return [(d.channel, d.recipient, d.payload["contact"]) for d in rows]


def test_opening_records_the_message_and_queues_the_first_contact(
    session: Session, enrolled_client: Client
) -> None:
    message = crisis_message(session)
    escalation = open_escalation(session, message, "sam", "a reason", ON_CALL)

    assert (escalation.state, escalation.risk_level, escalation.risk_signals) == (
        "open",
        "crisis",
        ["plan"],
    )
    assert escalation.message_id == message.id
    assert escalation.conversation_id == message.conversation_id
    assert outbox(session) == [
        ("webhook", "http://127.0.0.1:1/first", "First"),
        ("email", "first@clinic.example", "First"),
        ("email", "rivera@clinic.example", "Dr. Rivera"),  # Sam's therapist
    ]
    assert active_escalation(session, "sam") is escalation


def test_overdue_escalations_go_to_the_next_contact_then_round_again(
    session: Session, enrolled_client: Client
) -> None:
    escalation = open_escalation(session, crisis_message(session), "sam", "a reason", ON_CALL)
    assert renotify_overdue(session, CONTACTS, 300, utcnow()) == []

    later = utcnow() + timedelta(seconds=301)
    assert renotify_overdue(session, CONTACTS, 300, later) == [escalation]
    assert outbox(session)[-1] == ("email", "second@clinic.example", "Second")
    renotify_overdue(session, CONTACTS, 300, later + timedelta(seconds=301))
    assert outbox(session)[-1] == ("email", "first@clinic.example", "First")


def test_an_acknowledged_escalation_is_not_sent_on(
    session: Session, enrolled_client: Client
) -> None:
    escalation = open_escalation(session, crisis_message(session), "sam", "a reason", ON_CALL)
    acknowledge(session, escalation.id, "Dr. Rivera")
    assert renotify_overdue(session, CONTACTS, 300, utcnow() + timedelta(hours=1)) == []
    assert active_escalation(session, "sam") is escalation  # still in crisis mode
    with pytest.raises(EscalationError):
        acknowledge(session, escalation.id, "Dr. Okafor")

    resolve(session, escalation.id, "Spoke on the phone; safe with family.")
    assert (escalation.state, escalation.clinician) == ("resolved", "Dr. Rivera")
    assert escalation.notes == "Spoke on the phone; safe with family."
    assert active_escalation(session, "sam") is None
    with pytest.raises(EscalationError):
        resolve(session, escalation.id, "again")


def test_unknown_escalations_are_refused(session: Session) -> None:
    with pytest.raises(EscalationError, match="no escalation 99"):
        acknowledge(session, 99, "Dr. Rivera")


def test_an_escalation_nobody_acknowledged_is_resolved_only_with_a_name(
    session: Session, enrolled_client: Client
) -> None:
    escalation = open_escalation(session, crisis_message(session), "sam", "a reason", ON_CALL)
    with pytest.raises(EscalationError, match="--clinician"):
        resolve(session, escalation.id, "Called; safe.")
    assert escalation.state == "open"
    resolve(session, escalation.id, "Called; safe.", "Dr. Okafor")
    assert (escalation.state, escalation.clinician) == ("resolved", "Dr. Okafor")


def test_a_failed_row_from_before_failing_since_was_kept_counts_from_when_it_was_queued(
    session: Session, enrolled_client: Client
) -> None:
    escalation = open_escalation(session, crisis_message(session), "sam", "a reason", ON_CALL)
    row = session.scalars(select(OutboxDelivery).order_by(OutboxDelivery.id)).first()
    row.attempts, row.last_error = 3, "ConnectError: refused"  # failing_since left unset
    session.flush()
    first = deliveries_of(session, escalation)[0]
    assert (first.state, first.attempts) == ("failing", 3)
    assert first.since == as_utc(row.created_at)
