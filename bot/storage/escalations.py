"""Escalations and their outbox: opening, finding, acknowledging, resolving and re-notifying."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from bot.escalation.config import Contact, OnCall
from bot.storage.conversations import latest_conversation_id
from bot.storage.deliveries import (
    Audience,
    deliveries_by_escalation,
    unreached_since,
)
from bot.storage.models import Client, Escalation, Message, OutboxDelivery, utcnow

ACTIVE = ("open", "acknowledged")
# The reason of a client's own request for a person: the one escalation that is not crisis mode.
ASKED_REASON = "the client asked for a person"


class EscalationError(ValueError):
    """A clinician's request that does not fit the escalation's state."""


def active_escalation(session: Session, client_id: str) -> Escalation | None:
    """The escalation that keeps the client in crisis mode, if any."""
    return session.scalars(
        select(Escalation)
        .where(Escalation.client_id == client_id, Escalation.state.in_(ACTIVE))
        .order_by(Escalation.id)
        .limit(1)
    ).first()


def is_crisis_mode(escalation: Escalation | None) -> bool:
    """Whether an active escalation puts the client in crisis mode: every escalation does,
    except an open request for a person, during which the conversation goes on."""
    return escalation is not None and escalation.reason != ASKED_REASON


def open_escalation(
    session: Session, message: Message, client_id: str, reason: str, on_call: OnCall
) -> Escalation:
    """Records the escalation and queues word to the first contact (the fallback contact when
    there is none) and to the client's therapist, if they have one; the caller commits."""
    escalation = Escalation(
        client_id=client_id,
        conversation_id=message.conversation_id,
        message_id=message.id,
        reason=reason,
        risk_level=message.risk_level or "none",
        risk_signals=list(message.risk_signals or []),
        state="open",
        contact_index=0,
        notified_at=utcnow(),
    )
    session.add(escalation)
    session.flush()
    if on_call.contacts:
        first = on_call.contacts[0]
        _queue(session, escalation, first, "on_call", notification(escalation, first, message.text))
    elif on_call.fallback is not None:
        _tell_fallback(session, escalation, on_call.fallback, utcnow())
    client = session.get(Client, client_id)
    if client is not None and client.therapist is not None:
        therapist = Contact(client.therapist.name, email=client.therapist.email)
        payload = therapist_notice(escalation, client, on_call)
        _queue(session, escalation, therapist, "therapist", payload)
    return escalation


def _queue(
    session: Session,
    escalation: Escalation,
    contact: Contact,
    audience: Audience,
    payload: dict[str, Any],
) -> None:
    for channel, recipient in (("webhook", contact.webhook), ("email", contact.email)):
        if recipient:
            session.add(
                OutboxDelivery(
                    escalation_id=escalation.id,
                    audience=audience,
                    channel=channel,
                    recipient=recipient,
                    payload=payload,
                    next_attempt_at=utcnow(),
                )
            )
    session.flush()


def notification(
    escalation: Escalation, contact: Contact, text: str, audience: Audience = "on_call"
) -> dict[str, Any]:
    """What an on-call (or fallback) clinician is told: enough to act on without opening
    anything else."""
    return {
        "event": "escalation",
        "audience": audience,
        "escalation_id": escalation.id,
        "client_id": escalation.client_id,
        "conversation_id": escalation.conversation_id,
        "reason": escalation.reason,
        "urgent": escalation.urgent is not False,
        "level": escalation.risk_level,
        "signals": list(escalation.risk_signals),
        "message": text,
        "created_at": escalation.created_at.isoformat(),
        "contact": contact.name,
        "contact_index": escalation.contact_index,
        "acknowledge_with": f"reflect escalations ack {escalation.id} --clinician NAME",
    }


def _told_last(escalation: Escalation, contacts: Sequence[Contact]) -> Contact:
    """The on-call contact the escalation was last sent to (contacts must not be empty)."""
    return contacts[escalation.contact_index % len(contacts)]


def alert_joined_clinician(
    session: Session, escalation: Escalation, message: Message, contacts: Sequence[Contact]
) -> None:
    """Word of a new crisis message while a clinician is in the chat, to that clinician's
    contact (matched by name), else to the contact told last; the caller commits. Sent whatever
    the escalation's state: the clinician has it in hand, and this is for them."""
    named = [contact for contact in contacts if contact.name == escalation.joined_by]
    if not (named or contacts):
        return
    contact = named[0] if named else _told_last(escalation, contacts)
    payload = {
        **notification(escalation, contact, message.text, "joined"),
        "event": "crisis_while_joined",
    }
    _queue(session, escalation, contact, "joined", payload)


def raise_to_crisis(
    session: Session, escalation: Escalation, message: Message, reason: str, on_call: OnCall
) -> None:
    """A crisis during an open request for a person: the escalation takes the crisis's reason,
    level and message, becomes urgent, and the contact told last (else the fallback) hears it
    now; the caller commits."""
    escalation.reason = reason
    escalation.urgent = True
    escalation.message_id = message.id
    escalation.message = message
    escalation.risk_level = message.risk_level or "crisis"
    escalation.risk_signals = list(message.risk_signals or [])
    escalation.notified_at = utcnow()
    contacts = on_call.contacts
    if contacts:
        contact = _told_last(escalation, contacts)
        payload = notification(escalation, contact, message.text)
        _queue(session, escalation, contact, "on_call", payload)
    elif on_call.fallback is not None:
        _tell_fallback(session, escalation, on_call.fallback, utcnow())


def mark_not_urgent(session: Session, client_id: str) -> Escalation | None:
    """The client says their open request for a person can wait; returns it, or None if they
    have no such request (a crisis escalation is never marked down)."""
    active = active_escalation(session, client_id)
    if active is None or is_crisis_mode(active):
        return None
    active.urgent = False
    return active


def therapist_notice(escalation: Escalation, client: Client, on_call: OnCall) -> dict[str, Any]:
    """What the client's therapist is told: that an escalation was raised for their client, why
    and when, and who is on call to talk to. It does not quote the client's words: the on-call
    team acts on those, and the therapist learns them from the team or the record."""
    return {
        "event": "escalation",
        "audience": "therapist",
        "escalation_id": escalation.id,
        "client_id": escalation.client_id,
        "client_name": client.display_name,
        "reason": escalation.reason,
        "level": escalation.risk_level,
        "signals": list(escalation.risk_signals),
        "created_at": escalation.created_at.isoformat(),
        "contact": client.therapist.name,
        "on_call": [{"name": c.name, "email": c.email} for c in on_call.everyone],
    }


def _claim(session: Session, escalation: Escalation, *condition: Any, **values: Any) -> bool:
    """Sets `values` on the escalation only while `condition` still holds in the database, in
    one UPDATE: of several workers that read the same state, exactly one wins. The winner's
    object is updated; the others must leave it be."""
    won = session.execute(
        update(Escalation)
        .where(Escalation.id == escalation.id, *condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won:
        for name, value in values.items():
            set_committed_value(escalation, name, value)
    return bool(won)


def _tell_fallback(
    session: Session, escalation: Escalation, fallback: Contact, now: datetime
) -> None:
    escalation.fallback_at = now
    payload = notification(escalation, fallback, escalation.message.text, "fallback")
    _queue(session, escalation, fallback, "fallback", payload)


def tell_fallback_where_unreached(
    session: Session, fallback: Contact, after_s: float, now: datetime
) -> list[Escalation]:
    """Open escalations none of whose on-call notifications got through, the first failing
    over `after_s` seconds before `now`, go to the fallback contact: once per escalation.
    Returns those told now; the caller commits."""
    told = []
    waiting = select(Escalation).where(Escalation.state == "open", Escalation.fallback_at.is_(None))
    escalations = list(session.scalars(waiting))
    deliveries = deliveries_by_escalation(session, escalations)
    for escalation in escalations:
        since = unreached_since(deliveries[escalation.id])
        if (
            since is not None
            and since <= now - timedelta(seconds=after_s)
            and _claim(session, escalation, Escalation.fallback_at.is_(None), fallback_at=now)
        ):
            _tell_fallback(session, escalation, fallback, now)
            told.append(escalation)
    return told


def renotify_overdue(
    session: Session, contacts: Sequence[Contact], ack_s: float, now: datetime
) -> list[Escalation]:
    """Open escalations nobody acknowledged in time go to the next contact (then round again),
    each once however many workers look at it; returns those passed on now."""
    if not contacts:
        return []
    due = (Escalation.state == "open", Escalation.notified_at <= now - timedelta(seconds=ack_s))
    passed_on = []
    for escalation in session.scalars(select(Escalation).where(*due)).all():
        following = (escalation.contact_index + 1) % len(contacts)
        if _claim(session, escalation, *due, contact_index=following, notified_at=now):
            contact = contacts[following]
            payload = notification(escalation, contact, escalation.message.text)
            _queue(session, escalation, contact, "on_call", payload)
            passed_on.append(escalation)
    return passed_on


def list_escalations(session: Session, include_resolved: bool = False) -> list[Escalation]:
    query = select(Escalation).order_by(Escalation.id)
    if not include_resolved:
        query = query.where(Escalation.state.in_(ACTIVE))
    return list(session.scalars(query))


def _get(session: Session, escalation_id: int) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise EscalationError(f"there is no escalation {escalation_id}")
    return escalation


def acknowledge(session: Session, escalation_id: int, clinician: str) -> Escalation:
    """A clinician takes it on; nobody else is paged for it after this."""
    escalation = _get(session, escalation_id)
    if escalation.state != "open":
        raise EscalationError(f"escalation {escalation_id} is {escalation.state}, not open")
    escalation.state = "acknowledged"
    escalation.clinician = clinician
    escalation.acknowledged_at = utcnow()
    return escalation


def resolve(
    session: Session, escalation_id: int, notes: str, clinician: str | None = None
) -> Escalation:
    """Ends crisis mode for the client; the notes say what was done, and someone is named:
    `clinician`, or whoever acknowledged it."""
    escalation = _get(session, escalation_id)
    if escalation.state == "resolved":
        raise EscalationError(f"escalation {escalation_id} is resolved already")
    if not (clinician or escalation.clinician):
        raise EscalationError(
            f"escalation {escalation_id} was never acknowledged; say who resolved it "
            "(--clinician NAME)"
        )
    escalation.state = "resolved"
    escalation.joined_by = None
    escalation.clinician = clinician or escalation.clinician
    escalation.notes = notes
    escalation.resolved_at = utcnow()
    return escalation


def join(session: Session, escalation_id: int, clinician: str) -> Escalation:
    """The clinician enters the client's chat, acknowledging it if need be; the bot goes quiet."""
    escalation = _get(session, escalation_id)
    if escalation.state == "resolved":
        raise EscalationError(f"escalation {escalation_id} is resolved; there is no chat to join")
    if escalation.state == "open":
        acknowledge(session, escalation_id, clinician)
    escalation.joined_by = clinician
    return escalation


def leave(session: Session, escalation_id: int) -> Escalation:
    """The clinician steps out; crisis mode goes on until the escalation is resolved."""
    escalation = _get(session, escalation_id)
    escalation.joined_by = None
    return escalation


def clinician_says(session: Session, escalation_id: int, text: str) -> Message:
    """Stores a joined clinician's message in the client's chat, marked as from a clinician."""
    escalation = _get(session, escalation_id)
    if escalation.joined_by is None:
        raise EscalationError(f"join escalation {escalation_id} before writing to the client")
    message = Message(
        conversation_id=latest_conversation_id(session, escalation.client_id),
        sender="clinician",
        text=text,
    )
    session.add(message)
    session.flush()
    return message
