"""Saving journal entries, the record of an exercise the client did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from bot.storage.conversations import latest_conversation_id
from bot.storage.models import Client, EntryItem, JournalEntry, utcnow


@dataclass(frozen=True)
class Answer:
    """A prompt as the client saw it and what they wrote back."""

    prompt: str
    answer: str
    answered_at: datetime | None = None
    slot: str | None = None


class UnknownClient(LookupError):
    """The sender is not an enrolled client, so there is nobody to save the entry for."""


def save_entry(
    session: Session,
    client_id: str,
    exercise: str,
    answers: Sequence[Answer],
    *,
    completed: bool,
    shared: bool | None = None,
    at_risk: bool = False,
) -> JournalEntry:
    """Stores an entry in the client's latest conversation; sharing follows their default.

    An `at_risk` entry was ended by an answer at crisis level: it is kept for the clinician and
    never resumed or read back as an ordinary entry.
    """
    client = session.get(Client, client_id)
    if client is None:
        raise UnknownClient(client_id)
    times = [a.answered_at for a in answers if a.answered_at]
    entry = JournalEntry(
        client_id=client_id,
        conversation_id=latest_conversation_id(session, client_id),
        exercise=exercise,
        completed=completed,
        at_risk=at_risk,
        shared_with_therapist=client.share_by_default if shared is None else shared,
        started_at=min(times) if times else None,
        items=[
            EntryItem(
                position=i, slot=a.slot, prompt=a.prompt, answer=a.answer, answered_at=a.answered_at
            )
            for i, a in enumerate(answers, start=1)
        ],
    )
    session.add(entry)
    session.flush()
    return entry


def entries_for(session: Session, client_id: str, newest_first: bool = False) -> list[JournalEntry]:
    """Every entry of the client, private ones too: oldest first, or newest first by when it
    was saved (the pages' order)."""
    order = JournalEntry.saved_at.desc() if newest_first else JournalEntry.id
    return list(
        session.scalars(
            select(JournalEntry).where(JournalEntry.client_id == client_id).order_by(order)
        )
    )


def _unfinished(client_id: str) -> Select:
    """The client's entries that can be picked up again, latest first."""
    return (
        select(JournalEntry)
        .where(
            JournalEntry.client_id == client_id,
            JournalEntry.completed.is_(False),
            JournalEntry.at_risk.is_(False),
            JournalEntry.resumed_at.is_(None),
        )
        .order_by(JournalEntry.id.desc())
    )


def take_unfinished(
    session: Session, client_id: str, exercises: Sequence[str]
) -> JournalEntry | None:
    """The latest unfinished entry of one of `exercises`, marked as resumed so it is taken once."""
    query = _unfinished(client_id).where(JournalEntry.exercise.in_(exercises)).limit(1)
    entry = session.scalars(query).first()
    if entry is not None:
        entry.resumed_at = utcnow()
    return entry


def has_unfinished(session: Session, client_id: str) -> bool:
    """Whether any entry is waiting to be picked up, whatever readiness opens now."""
    return session.scalars(_unfinished(client_id).limit(1)).first() is not None


def last_answer(session: Session, client_id: str, exercise: str, slot: str) -> str | None:
    """What the client answered to `slot` in their latest finished `exercise`."""
    return session.scalars(
        select(EntryItem.answer)
        .join(JournalEntry)
        .where(
            JournalEntry.client_id == client_id,
            JournalEntry.exercise == exercise,
            JournalEntry.completed.is_(True),
            EntryItem.slot == slot,
        )
        .order_by(JournalEntry.id.desc())
        .limit(1)
    ).first()


@dataclass(frozen=True)
class SharingChange:
    """What saying "keep that private" or "share that" did to an entry."""

    entry_id: int
    exercise: str
    shared: bool  # whether the therapist can read it now
    changed: bool  # False when it already was as asked


def set_latest_entry_sharing(
    session: Session, client_id: str, shared: bool
) -> SharingChange | None:
    """Shares, or makes private, the entry the client saved last in their current conversation.

    Entries kept at risk for the clinician are not changed by this. Returns None when the
    conversation has no other entry; raises UnknownClient for a sender who is not enrolled.
    """
    if session.get(Client, client_id) is None:
        raise UnknownClient(client_id)
    entry = session.scalars(
        select(JournalEntry)
        .where(
            JournalEntry.client_id == client_id,
            JournalEntry.conversation_id == latest_conversation_id(session, client_id),
            JournalEntry.at_risk.is_(False),
        )
        .order_by(JournalEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return None
    changed = entry.shared_with_therapist != shared
    entry.shared_with_therapist = shared
    session.flush()
    return SharingChange(entry.id, entry.exercise, shared, changed)


def set_entry_sharing(
    session: Session, client_id: str, entry_id: int, shared: bool
) -> JournalEntry:
    """Shares, or makes private, one of the client's entries (from the web app's list).
    Raises LookupError for an entry that is not theirs, or kept at risk for the clinician."""
    entry = session.get(JournalEntry, entry_id)
    if entry is None or entry.client_id != client_id or entry.at_risk:
        raise LookupError(entry_id)
    entry.shared_with_therapist = shared
    session.flush()
    return entry
