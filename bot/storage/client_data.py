"""A client's own data: all of it as JSON (export), and deleting their account.

Deleting keeps escalation records, as clinical records: each escalation row and the messages
of its crisis window (bot/storage/crisis_window.py) stay, under a client record renamed
"deleted account" that can no longer sign in or chat, and that no therapist reads any more.
Everything else the client wrote or was told goes: entries, ratings, check-ins, readiness, the
safety plan, every other message and its notes, their sign-in and invitation, and their events
in Rasa's tracker store. The audit trail names clients by id ("client:c-1a2b"), not by email.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.review import conversations_of, escalations_of, when
from bot.storage.crisis_window import crisis_window
from bot.storage.models import (
    BlockedReply,
    Client,
    Conversation,
    EntryItem,
    Escalation,
    Invite,
    JournalEntry,
    Message,
    MessageNote,
    MoodRating,
    PtgCheckin,
    ReadinessSnapshot,
    SafetyPlan,
    TrackerEvent,
    User,
    WebSession,
)
from bot.storage.ptg import DOMAINS
from bot.storage.safety_plans import PARTS

DELETED_NAME = "deleted account"


def export_client(session: Session, client: Client) -> dict[str, Any]:
    """Everything stored about the client in the app's database, JSON-ready, times in UTC."""
    plan = session.get(SafetyPlan, client.id)
    return {
        "client": {
            "id": client.id,
            "display_name": client.display_name,
            "share_by_default": client.share_by_default,
            "locale": client.locale,
            "enrolled": when(client.created_at),
        },
        "conversations": [
            {
                "id": c.id,
                "started": when(c.started_at),
                "messages": [
                    {"sender": m.sender, "text": m.text, "at": when(m.created_at)}
                    for m in c.messages
                ],
            }
            for c in reversed(conversations_of(session, client.id))
        ],
        "entries": [
            {
                "exercise": e.exercise,
                "saved": when(e.saved_at),
                "shared_with_therapist": e.shared_with_therapist,
                "completed": e.completed,
                "answers": [{"prompt": i.prompt, "answer": i.answer} for i in e.items],
            }
            for e in client.entries
        ],
        "mood_ratings": [
            {"score": r.score, "word": r.word, "at": when(r.rated_at)}
            for r in session.scalars(select(MoodRating).where(MoodRating.client_id == client.id))
        ],
        "reflection_checkins": [
            {"answered": when(c.answered_at), **{d: getattr(c, d) for d in DOMAINS}}
            for c in session.scalars(select(PtgCheckin).where(PtgCheckin.client_id == client.id))
            if c.answered_at is not None
        ],
        "safety_plan": None if plan is None else {part: getattr(plan, part) for part in PARTS},
    }


def delete_account(session: Session, user: User, tracker_url: str | None) -> int:
    """Deletes the client's account and data as the module says; returns how many messages
    were kept with escalation records. `tracker_url` is Rasa's SQL tracker store, if any (a
    SQLite file that does not exist is left alone)."""
    client = session.get(Client, user.client_id)
    if client is None:
        raise LookupError(user.client_id)
    kept = {m.id for e in escalations_of(session, client.id) for m in crisis_window(session, e)}
    conversation_ids = [c.id for c in conversations_of(session, client.id)]
    doomed = list(
        session.scalars(
            select(Message.id).where(
                Message.conversation_id.in_(conversation_ids), Message.id.not_in(kept)
            )
        )
    )
    entry_ids = select(JournalEntry.id).where(JournalEntry.client_id == client.id)
    # A subquery cannot be evaluated in Python: "fetch" finds the rows it deletes instead.
    fetch = {"synchronize_session": "fetch"}
    session.execute(
        delete(EntryItem).where(EntryItem.entry_id.in_(entry_ids)), execution_options=fetch
    )
    for model in (JournalEntry, MoodRating, PtgCheckin, ReadinessSnapshot, SafetyPlan):
        session.execute(delete(model).where(model.client_id == client.id))
    session.execute(delete(TrackerEvent).where(TrackerEvent.sender_id == client.id))
    session.execute(delete(MessageNote).where(MessageNote.message_id.in_(doomed)))
    session.execute(delete(BlockedReply).where(BlockedReply.message_id.in_(doomed)))
    session.execute(update(Message).where(Message.reply_to_id.in_(doomed)).values(reply_to_id=None))
    session.execute(delete(Message).where(Message.id.in_(doomed)))
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.delete(user)
    session.flush()
    session.execute(delete(Invite).where(Invite.email == user.email))
    if kept:
        client.display_name = DELETED_NAME
        client.token_hash = secrets.token_hex(32)  # no token hashes to a fresh random value
        # The record is the clinicians' now: with the entries gone, the therapist's transcript
        # could no longer tell private writing from the rest.
        client.therapist_id = None
    emptied = delete(Conversation).where(
        Conversation.client_id == client.id,
        Conversation.id.not_in(select(Message.conversation_id)),
        Conversation.id.not_in(select(Escalation.conversation_id)),
    )
    session.execute(emptied, execution_options=fetch)
    if kept:
        session.execute(
            update(Conversation).where(Conversation.client_id == client.id).values(open_for=None)
        )
    else:
        session.delete(client)
    if tracker_url is not None:
        _forget_in_tracker_store(tracker_url, client.id)
    return len(kept)


def _forget_in_tracker_store(tracker_url: str, sender_id: str) -> None:
    """Removes the client's events from Rasa's SQL tracker store (its `events` table)."""
    url = make_url(tracker_url)
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
        return
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender_id})
    finally:
        engine.dispose()
