"""The outbox worker against real local receivers: retries with backoff, nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.message import Message as Email

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.escalation.config import Contact
from bot.escalation.worker import backoff_s, deliver_due
from bot.settings import Settings
from bot.storage.conversations import current_conversation, record
from bot.storage.escalations import open_escalation, resolve
from bot.storage.models import Client, Escalation, OutboxDelivery, utcnow
from guardrails import RiskAssessment
from tests.receivers import SmtpReceiver, WebhookReceiver, wait_for
from tests.stack.conftest import free_port

SECRET = "unit-secret"


def escalate_pills(session: Session, contact: Contact) -> Escalation:
    """Sam's crisis message "i took pills", escalated to `contact` and committed."""
    conversation = current_conversation(session, "sam", 60)
    message = record(
        session, conversation, "client", "i took pills", risk=RiskAssessment("crisis", ("x",))
    )
    escalation = open_escalation(session, message, "sam", "a reason", [contact])
    session.commit()
    return escalation


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff_s(n, 10) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_a_delivery_waits_out_an_outage_and_arrives_signed(
    session: Session, enrolled_client: Client
) -> None:
    webhook, smtp = WebhookReceiver(free_port(), SECRET), SmtpReceiver(free_port())
    settings = replace(Settings(), webhook_secret=SECRET, smtp_port=smtp.port)
    contact = Contact("First", email="first@clinic.example", webhook=webhook.url("/hook"))
    escalation = escalate_pills(session, contact)

    assert deliver_due(session, settings, utcnow()) == 0  # both receivers are down
    rows = list(session.scalars(select(OutboxDelivery)))
    assert all(r.attempts == 1 and r.last_error and r.delivered_at is None for r in rows)
    assert deliver_due(session, settings, utcnow()) == 0  # not due yet: backing off

    webhook.start()
    smtp.start()
    try:
        later = utcnow() + timedelta(seconds=5)
        assert deliver_due(session, settings, later) == 2
        assert deliver_due(session, settings, later) == 0  # delivered once, not again
        (hook,) = webhook.for_escalation(escalation.id, "/hook")
        assert hook.payload["message"] == "i took pills"
        assert webhook.bad_signatures == 0
        mail: list[Email] = wait_for(lambda: smtp.messages)
        assert mail[0]["To"] == "first@clinic.example"
        assert f"#{escalation.id}" in mail[0]["Subject"]
    finally:
        webhook.stop()
        smtp.stop()


def test_nothing_waiting_is_sent_once_the_escalation_is_resolved(
    session: Session, enrolled_client: Client
) -> None:
    webhook = WebhookReceiver(free_port(), SECRET)
    settings = replace(Settings(), webhook_secret=SECRET)
    contact = Contact("First", webhook=webhook.url("/hook"))
    escalation = escalate_pills(session, contact)
    assert deliver_due(session, settings, utcnow()) == 0  # the receiver is down
    resolve(session, escalation.id, "called the client; safe with family", "dr lee")
    session.commit()

    webhook.start()
    try:
        assert deliver_due(session, settings, utcnow() + timedelta(seconds=5)) == 0
        assert webhook.received == []
        (waiting,) = session.scalars(select(OutboxDelivery))
        assert waiting.delivered_at is None and waiting.attempts == 1
    finally:
        webhook.stop()
