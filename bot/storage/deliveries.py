"""What became of each notification of an escalation, derived from its outbox rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.conversations import as_utc
from bot.storage.models import Escalation, OutboxDelivery

# Who a notification is for: an on-call contact, the fallback contact, the client's therapist,
# or the clinician joined in the chat (told of a new crisis message there).
Audience = Literal["on_call", "fallback", "therapist", "joined"]
# pending: not tried yet; delivered: a receiver took it; failing: tried and not yet through, to
# be retried; stopped: never to be sent, because a clinician has the escalation in hand.
DeliveryState = Literal["pending", "delivered", "failing", "stopped"]
# What the client may be told: someone has word (or a clinician has it in hand); word is on its
# way; word has not got through yet and is being retried; nobody can be told from here.
Reach = Literal["told", "telling", "still_trying", "nobody"]

# These page someone to act, so they stop once the escalation is acknowledged or resolved; the
# therapist's notice is sent whatever happens next, so the therapist always knows.
PAGING: tuple[Audience, ...] = ("on_call", "fallback")


@dataclass(frozen=True)
class DeliveryStatus:
    """One notification as a clinician reads it.

    `since` is when it was delivered, or its first failure while failing (UTC, timezone-aware);
    None while pending or stopped. `attempts` counts tries so far; `last_error` is the latest
    failure's text, kept after a later success.
    """

    audience: Audience
    contact: str
    channel: str
    recipient: str
    state: DeliveryState
    since: datetime | None
    attempts: int
    last_error: str | None


def delivery_status(delivery: OutboxDelivery, escalation_state: str) -> DeliveryStatus:
    """The one place a notification's state is derived: from its row and its escalation's
    state (open, acknowledged or resolved)."""
    state: DeliveryState
    since = None
    if delivery.delivered_at is not None:
        state, since = "delivered", as_utc(delivery.delivered_at)
    elif escalation_state != "open" and delivery.audience in PAGING:
        state = "stopped"
    elif delivery.attempts > 0:
        # Rows from before `failing_since` was kept count from when they were queued.
        state, since = "failing", as_utc(delivery.failing_since or delivery.created_at)
    else:
        state = "pending"
    return DeliveryStatus(
        audience=delivery.audience,
        contact=str(delivery.payload.get("contact", "")),
        channel=delivery.channel,
        recipient=delivery.recipient,
        state=state,
        since=since,
        attempts=delivery.attempts,
        last_error=delivery.last_error,
    )


def deliveries_of(session: Session, escalation: Escalation) -> list[DeliveryStatus]:
    """Every notification of the escalation, in the order they were queued."""
    return deliveries_by_escalation(session, [escalation])[escalation.id]


def deliveries_by_escalation(
    session: Session, escalations: Sequence[Escalation]
) -> dict[int, list[DeliveryStatus]]:
    """Every notification of each escalation, by escalation id, in the order they were queued;
    one query for all of them."""
    by_id: dict[int, list[DeliveryStatus]] = {e.id: [] for e in escalations}
    if not by_id:
        return by_id
    state = {e.id: e.state for e in escalations}
    rows = session.scalars(
        select(OutboxDelivery)
        .where(OutboxDelivery.escalation_id.in_(list(by_id)))
        .order_by(OutboxDelivery.id)
    )
    for row in rows:
        by_id[row.escalation_id].append(delivery_status(row, state[row.escalation_id]))
    return by_id


def reach(escalation: Escalation, statuses: Sequence[DeliveryStatus]) -> Reach:
    """What is true, right now, about who has word of the escalation."""
    if escalation.state != "open":
        return "told"  # a clinician has acknowledged it
    paging = [s for s in statuses if s.audience in PAGING]
    if not paging:
        return "nobody"
    if any(s.state == "delivered" for s in paging):
        return "told"
    if any(s.state == "failing" for s in paging):
        return "still_trying"
    return "telling"


def unreached_since(statuses: Sequence[DeliveryStatus]) -> datetime | None:
    """When an on-call notification of the escalation first failed, if none has got through;
    None when one has, or none has failed yet."""
    on_call = [s for s in statuses if s.audience == "on_call"]
    if any(s.state == "delivered" for s in on_call):
        return None
    return min((s.since for s in on_call if s.state == "failing" and s.since), default=None)
