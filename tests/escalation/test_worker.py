"""The outbox worker against real local receivers: retries with backoff, nothing lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.message import Message as Email

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.escalation.config import Contact, OnCall
from bot.escalation.worker import backoff_s, deliver_due
from bot.settings import Settings
from bot.storage.accounts import add_client
from bot.storage.conversations import current_conversation, record
from bot.storage.deliveries import deliveries_of, reach
from bot.storage.escalations import (
    acknowledge,
    open_escalation,
    resolve,
    tell_fallback_where_unreached,
)
from bot.storage.models import Client, Escalation, OutboxDelivery, utcnow
from guardrails import RiskAssessment
from tests.receivers import SmtpReceiver, WebhookReceiver, wait_for
from tests.stack.conftest import free_port

SECRET = "unit-secret"


def escalate_pills(
    session: Session, contact: Contact | None, fallback: Contact | None = None, client: str = "sam"
) -> Escalation:
    """The client's crisis message "i took pills", escalated to `contact` (and, for Sam, to his
    therapist), with `fallback` as the on-call file's fallback; committed."""
    conversation = current_conversation(session, client, 60)
    message = record(
        session, conversation, "client", "i took pills", risk=RiskAssessment("crisis", ("x",))
    )
    on_call = OnCall((contact,) if contact else (), fallback)
    escalation = open_escalation(session, message, client, "a reason", on_call)
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
        assert deliver_due(session, settings, later) == 3  # the contact's two, the therapist's
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


def test_no_page_waiting_is_sent_once_resolved_but_the_therapist_still_hears(
    session: Session, enrolled_client: Client
) -> None:
    webhook, smtp = WebhookReceiver(free_port(), SECRET), SmtpReceiver(free_port())
    settings = replace(Settings(), webhook_secret=SECRET, smtp_port=smtp.port)
    escalation = escalate_pills(session, Contact("First", webhook=webhook.url("/hook")))
    assert deliver_due(session, settings, utcnow()) == 0  # both receivers are down
    resolve(session, escalation.id, "called the client; safe with family", "dr lee")
    session.commit()

    webhook.start()
    smtp.start()
    try:
        assert deliver_due(session, settings, utcnow() + timedelta(seconds=5)) == 1
        assert webhook.received == []
        (mail,) = smtp.messages
        assert mail["To"] == "rivera@clinic.example"
        page, notice = deliveries_of(session, escalation)
        assert (page.state, page.attempts) == ("stopped", 1)
        assert (notice.audience, notice.state) == ("therapist", "delivered")
    finally:
        webhook.stop()
        smtp.stop()


def test_each_notification_is_pending_then_failing_since_its_first_failure_then_delivered(
    session: Session, enrolled_client: Client
) -> None:
    webhook = WebhookReceiver(free_port(), SECRET)
    settings = replace(Settings(), webhook_secret=SECRET, smtp_port=free_port())
    escalation = escalate_pills(session, Contact("First", webhook=webhook.url("/hook")))
    assert [(s.audience, s.state, s.since) for s in deliveries_of(session, escalation)] == [
        ("on_call", "pending", None),
        ("therapist", "pending", None),
    ]

    before = utcnow()
    deliver_due(session, settings, utcnow())
    page, notice = deliveries_of(session, escalation)
    assert (page.state, page.attempts) == ("failing", 1)
    assert page.since is not None and before <= page.since <= utcnow()
    assert "ConnectError" in (page.last_error or "")
    first_failure = page.since
    deliver_due(session, settings, utcnow() + timedelta(seconds=5))  # fails again
    page, notice = deliveries_of(session, escalation)
    assert (page.state, page.attempts, page.since) == ("failing", 2, first_failure)
    assert reach(escalation, [page, notice]) == "still_trying"

    webhook.start()
    try:
        deliver_due(session, settings, utcnow() + timedelta(seconds=10))
    finally:
        webhook.stop()
    page, notice = deliveries_of(session, escalation)
    assert (page.state, page.attempts) == ("delivered", 3)
    assert page.since is not None and page.since > first_failure
    assert notice.state == "failing"  # the therapist's mail relay is still down
    assert reach(escalation, [page, notice]) == "told"


def test_the_fallback_is_told_once_when_no_contact_is_reached_in_time(
    session: Session, enrolled_client: Client
) -> None:
    settings = replace(Settings(), smtp_port=free_port())
    closed = f"http://127.0.0.1:{free_port()}/hook"
    fallback = Contact("Duty desk", webhook=f"http://127.0.0.1:{free_port()}/duty")
    escalation = escalate_pills(session, Contact("First", webhook=closed), fallback)
    deliver_due(session, settings, utcnow())
    first_failure = deliveries_of(session, escalation)[0].since
    assert first_failure is not None

    after_s = 60
    not_yet = first_failure + timedelta(seconds=after_s - 1)
    assert tell_fallback_where_unreached(session, fallback, after_s, not_yet) == []
    due = first_failure + timedelta(seconds=after_s + 1)
    assert tell_fallback_where_unreached(session, fallback, after_s, due) == [escalation]
    assert escalation.fallback_at == due
    told = [s for s in deliveries_of(session, escalation) if s.audience == "fallback"]
    assert [(s.contact, s.channel, s.state) for s in told] == [("Duty desk", "webhook", "pending")]
    fallback_row = session.scalars(
        select(OutboxDelivery).where(OutboxDelivery.audience == "fallback")
    ).one()
    assert fallback_row.payload["message"] == "i took pills"  # a clinician, told like on call
    later = due + timedelta(hours=1)
    assert tell_fallback_where_unreached(session, fallback, after_s, later) == []  # only once


def test_no_fallback_when_a_contact_got_word_or_a_clinician_has_it(
    session: Session, enrolled_client: Client
) -> None:
    smtp = SmtpReceiver(free_port())
    settings = replace(Settings(), smtp_port=smtp.port)
    closed = f"http://127.0.0.1:{free_port()}/hook"
    fallback = Contact("Duty desk", email="duty@clinic.example")
    reached = escalate_pills(
        session, Contact("First", email="first@clinic.example", webhook=closed), fallback
    )
    smtp.start()
    try:
        deliver_due(session, settings, utcnow())  # the webhook fails, the email gets through
    finally:
        smtp.stop()
    assert [s.state for s in deliveries_of(session, reached)][:2] == ["failing", "delivered"]
    add_client(session, "Kim", client_id="kim")
    in_hand = escalate_pills(session, Contact("First", webhook=closed), fallback, client="kim")
    deliver_due(session, settings, utcnow())
    acknowledge(session, in_hand.id, "Dr. Okafor")

    much_later = utcnow() + timedelta(hours=1)
    assert tell_fallback_where_unreached(session, fallback, 60, much_later) == []


def test_with_no_on_call_contact_the_fallback_is_told_at_once(
    session: Session, enrolled_client: Client
) -> None:
    fallback = Contact("Duty desk", email="duty@clinic.example")
    escalation = escalate_pills(session, None, fallback)
    assert [(s.audience, s.contact) for s in deliveries_of(session, escalation)] == [
        ("fallback", "Duty desk"),
        ("therapist", "Dr. Rivera"),
    ]
    assert escalation.fallback_at is not None
    later = utcnow() + timedelta(hours=1)
    assert tell_fallback_where_unreached(session, fallback, 60, later) == []


def test_the_therapist_is_told_what_happened_and_who_is_on_call_not_the_clients_words(
    session: Session, enrolled_client: Client
) -> None:
    smtp = SmtpReceiver(free_port())
    settings = replace(Settings(), smtp_port=smtp.port)
    first = Contact("Night team", email="night@clinic.example")
    escalation = escalate_pills(session, first, Contact("Duty desk", email="duty@clinic.example"))
    smtp.start()
    try:
        assert deliver_due(session, settings, utcnow()) == 2
    finally:
        smtp.stop()
    (notice,) = [m for m in smtp.messages if m["To"] == "rivera@clinic.example"]
    body = notice.get_payload(decode=True).decode()
    assert notice["Subject"] == f"Reflect escalation #{escalation.id}: your client Sam"
    assert "Your client Sam (sam) was escalated to the on-call team" in body
    assert "- Night team <night@clinic.example>" in body
    assert "- Duty desk <duty@clinic.example>" in body
    assert "i took pills" not in body
    (page,) = [m for m in smtp.messages if m["To"] == "night@clinic.example"]
    assert "i took pills" in page.get_payload(decode=True).decode()


def test_a_client_without_a_therapist_gets_no_therapist_notice(
    session: Session, enrolled_client: Client
) -> None:
    add_client(session, "Kim", client_id="kim")
    escalation = escalate_pills(session, Contact("First", email="first@x.example"), client="kim")
    assert [s.audience for s in deliveries_of(session, escalation)] == ["on_call"]
