"""`reflect worker`: delivers the outbox with retries and backoff, and re-notifies in time.

Several workers may run at once, on one database. Each delivery is claimed just before it is sent:
the claim moves its next attempt CLAIM_S ahead, in one UPDATE that only succeeds while the
delivery is still due, so two workers never send the same one. On PostgreSQL the candidates are
also read `FOR UPDATE SKIP LOCKED`, so workers pass over each other's rows without waiting. A
worker that dies mid-send leaves its claim to run out; another then tries again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.backoff import backoff_s
from bot.escalation.config import on_call
from bot.escalation.notifiers import NOTIFIERS
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.deliveries import PAGING
from bot.storage.escalations import renotify_overdue, tell_fallback_where_unreached
from bot.storage.models import Escalation, OutboxDelivery, utcnow
from bot.storage.schema import ensure_schema

log = logging.getLogger("reflect.worker")
BATCH = 20
# How long a claimed delivery is left to its worker: well over a receiver's time-outs (the
# webhook's REFLECT_WEBHOOK_TIMEOUT_S, SMTP's 10 s).
CLAIM_S = 60.0


def claim_next(session: Session, now: datetime, tried: Collection[int] = ()) -> int | None:
    """Claims one delivery that is due at `now`, other than those `tried` already, for this
    worker alone, and commits; returns its id, or None when nothing is due. Pages are due only
    while their escalation is open (see deliver_due)."""
    candidates = session.scalars(
        select(OutboxDelivery.id)
        .join(Escalation, Escalation.id == OutboxDelivery.escalation_id)
        .where(
            OutboxDelivery.delivered_at.is_(None),
            OutboxDelivery.next_attempt_at <= now,
            OutboxDelivery.id.not_in(list(tried)),
            or_(Escalation.state == "open", OutboxDelivery.audience.not_in(PAGING)),
        )
        .order_by(OutboxDelivery.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True, of=OutboxDelivery)
    ).all()
    for delivery_id in candidates:
        claimed = session.execute(
            update(OutboxDelivery)
            .where(
                OutboxDelivery.id == delivery_id,
                OutboxDelivery.delivered_at.is_(None),
                OutboxDelivery.next_attempt_at <= now,
            )
            .values(next_attempt_at=utcnow() + timedelta(seconds=CLAIM_S))
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            session.commit()
            return delivery_id
    session.commit()
    return None


def deliver_due(session: Session, settings: Settings, now: datetime) -> int:
    """Claims due deliveries one at a time, up to BATCH, and tries each once, committing after
    each; returns how many got through. Pages go out only for escalations still open: once a
    clinician has acknowledged or resolved one, the pages still waiting for it (a receiver that
    was down, a re-notification) are left unsent, so nobody is paged about a crisis already in
    hand. The therapist's notice is sent whatever the state."""
    delivered = 0
    tried: list[int] = []
    while len(tried) < BATCH:
        delivery_id = claim_next(session, now, tried)
        if delivery_id is None:
            break
        tried.append(delivery_id)
        delivery = session.get(OutboxDelivery, delivery_id)
        assert delivery is not None
        recipient, payload = delivery.recipient, dict(delivery.payload)
        session.commit()  # no write lock is held while the receiver is slow
        try:
            NOTIFIERS[delivery.channel](settings, recipient, payload)
        except Exception as error:  # any failure is retried later; nothing is dropped
            delivery.attempts += 1
            delivery.failing_since = delivery.failing_since or utcnow()
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
    """One pass: queue re-notifications and fallbacks that are due, then deliver what is due."""
    config = on_call(settings.config_path(settings.on_call_file))
    with session_scope(settings.app_database_url) as session:
        renotify_overdue(session, config.contacts, settings.escalation_ack_s, utcnow())
        fallback = config.fallback
        if fallback is not None:
            after_s = settings.fallback_after_s
            for escalation in tell_fallback_where_unreached(session, fallback, after_s, utcnow()):
                log.warning(
                    "escalation %s: no on-call contact reached for over %.0f s; telling the "
                    "fallback contact %s",
                    escalation.id,
                    after_s,
                    fallback.name,
                )
        session.commit()
        deliver_due(session, settings, utcnow())


def run_forever(settings: Settings) -> None:
    ensure_schema(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    log.info("outbox worker started")
    while True:
        try:
            run_once(settings)
        except Exception:  # a bad pass is logged and the next one tries again
            log.exception("outbox pass failed")
        time.sleep(settings.outbox_poll_s)
