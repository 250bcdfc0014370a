"""`reflect worker`: delivers the outbox with retries and backoff, and re-notifies in time."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.backoff import backoff_s
from bot.escalation.config import on_call_contacts
from bot.escalation.notifiers import NOTIFIERS
from bot.settings import Settings
from bot.storage.db import init_schema, session_scope
from bot.storage.escalations import renotify_overdue
from bot.storage.models import Escalation, OutboxDelivery, utcnow

log = logging.getLogger("reflect.worker")
BATCH = 20


def deliver_due(session: Session, settings: Settings, now: datetime) -> int:
    """Tries each due delivery once, committing after each; returns how many got through.
    Only escalations still open are sent: once a clinician has acknowledged or resolved one,
    the deliveries still waiting for it (a receiver that was down, a re-notification) are
    left unsent, so nobody is paged about a crisis already in hand."""
    due = list(
        session.scalars(
            select(OutboxDelivery.id)
            .join(Escalation, Escalation.id == OutboxDelivery.escalation_id)
            .where(
                OutboxDelivery.delivered_at.is_(None),
                OutboxDelivery.next_attempt_at <= now,
                Escalation.state == "open",
            )
            .order_by(OutboxDelivery.id)
            .limit(BATCH)
        )
    )
    session.commit()
    delivered = 0
    for delivery_id in due:
        delivery = session.get(OutboxDelivery, delivery_id)
        assert delivery is not None
        recipient, payload = delivery.recipient, dict(delivery.payload)
        session.commit()  # no write lock is held while the receiver is slow
        try:
            NOTIFIERS[delivery.channel](settings, recipient, payload)
        except Exception as error:  # any failure is retried later; nothing is dropped
            delivery.attempts += 1
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            delivery.next_attempt_at = utcnow() + timedelta(
                seconds=backoff_s(delivery.attempts, settings.outbox_max_backoff_s)
            )
            log.warning("delivery %s to %s failed: %s", delivery_id, recipient, error)
        else:
            delivery.attempts += 1
            delivery.delivered_at = utcnow()
            delivered += 1
        session.commit()
    return delivered


def run_once(settings: Settings) -> None:
    """One pass: queue re-notifications that are due, then deliver what is due."""
    contacts = on_call_contacts(settings.config_path(settings.on_call_file))
    with session_scope(settings.app_database_url) as session:
        renotify_overdue(session, contacts, settings.escalation_ack_s, utcnow())
        session.commit()
        deliver_due(session, settings, utcnow())


def run_forever(settings: Settings) -> None:
    init_schema(settings.app_database_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    log.info("outbox worker started")
    while True:
        try:
            run_once(settings)
        except Exception:  # a bad pass is logged and the next one tries again
            log.exception("outbox pass failed")
        time.sleep(settings.outbox_poll_s)
