"""What readiness is computed from and what it leaves behind: ratings, snapshots, the setting."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.readiness import (
    CHANGE_MARKERS,
    COPING_MARKERS,
    CRISIS_HOLDS_FOR,
    GROWTH_SETTINGS,
    SKIPPED,
    Readiness,
    Signals,
    count_markers,
)
from bot.storage.conversations import latest_conversation_id
from bot.storage.journal import UnknownClient
from bot.storage.models import (
    Client,
    Conversation,
    JournalEntry,
    Message,
    MoodRating,
    ReadinessSnapshot,
    utcnow,
)

HISTORY = timedelta(days=30)
RECENT_RATINGS = 6
GROUNDING_EXERCISES = ("grounding", "breathing", "safe_place")


def _client(session: Session, client_id: str) -> Client:
    """The enrolled client, or UnknownClient: readiness is kept only for people enrolled."""
    client = session.get(Client, client_id)
    if client is None:
        raise UnknownClient(client_id)
    return client


def record_mood(session: Session, client_id: str, score: float, word: str | None) -> MoodRating:
    """Keeps a check-in rating with its conversation: the mood trend readiness reads.

    A conversation has one check-in: a rating given again in it (after "start over") replaces
    the earlier one, so the trend never counts a conversation twice.
    """
    _client(session, client_id)
    conversation_id = latest_conversation_id(session, client_id)
    earlier = (
        session.scalars(
            select(MoodRating).where(
                MoodRating.client_id == client_id, MoodRating.conversation_id == conversation_id
            )
        ).first()
        if conversation_id is not None
        else None
    )
    rating = earlier or MoodRating(client_id=client_id, conversation_id=conversation_id)
    rating.score, rating.word, rating.rated_at = score, word, utcnow()
    session.add(rating)
    session.flush()
    return rating


def growth_setting(session: Session, client_id: str) -> str:
    """The therapist's growth-prompts setting for the client (auto unless changed)."""
    return _client(session, client_id).growth_prompts


def set_growth_setting(session: Session, client_id: str, value: str) -> None:
    """The therapist's per-client switch for growth prompts: off, auto (the default) or on."""
    if value not in GROWTH_SETTINGS:
        raise ValueError(f"growth prompts are one of {', '.join(GROWTH_SETTINGS)}")
    _client(session, client_id).growth_prompts = value


def gather_signals(
    session: Session,
    client_id: str,
    *,
    risk_level: str | None,
    mood_now: float | None,
    now: datetime | None = None,
) -> Signals:
    """The readiness signals of the last 30 days of the client's history, plus this moment."""
    since = (now or utcnow()) - HISTORY
    moods = list(
        session.scalars(
            select(MoodRating.score)
            .where(MoodRating.client_id == client_id, MoodRating.rated_at >= since)
            .order_by(MoodRating.id.desc())
            .limit(RECENT_RATINGS)
        )
    )[::-1]
    entries = list(
        session.scalars(
            select(JournalEntry).where(
                JournalEntry.client_id == client_id, JournalEntry.saved_at >= since
            )
        )
    )
    answers = [item.answer for entry in entries for item in entry.items]
    written = [a for a in answers if a != SKIPPED]
    clients_messages = (
        select(Message)
        .join(Conversation)
        .where(Conversation.client_id == client_id, Message.sender == "client")
    )
    last_crisis_at = session.scalar(
        clients_messages.with_only_columns(func.max(Message.created_at)).where(
            Message.risk_level == "crisis",
            Message.created_at >= (now or utcnow()) - CRISIS_HOLDS_FOR,
        )
    )
    conversation_id = latest_conversation_id(session, client_id)
    earlier = session.scalars(
        clients_messages.with_only_columns(Message.risk_level)
        .where(Message.conversation_id == conversation_id)
        .order_by(Message.id.desc())
        .offset(1)  # the message being answered is `risk_level`
    )
    return Signals(
        risk_level=risk_level,
        last_crisis_at=last_crisis_at,
        risk_earlier_in_conversation=any(level in ("concern", "crisis") for level in earlier),
        mood_now=mood_now,
        recent_moods=tuple(moods),
        coping_mentions=count_markers(written, COPING_MARKERS),
        grounding_done=sum(e.completed and e.exercise in GROUNDING_EXERCISES for e in entries),
        prompts_answered=len(written),
        prompts_skipped=len(answers) - len(written),
        change_mentions=count_markers(written, CHANGE_MARKERS),
        sessions=session.scalar(
            select(func.count(Conversation.id)).where(Conversation.client_id == client_id)
        )
        or 0,
        exercises_completed=sum(e.completed for e in entries),
    )


def save_snapshot(
    session: Session, client_id: str, readiness: Readiness, growth_prompts: str
) -> ReadinessSnapshot:
    """Keeps the level and its reasons with the conversation, for the therapist to read."""
    snapshot = ReadinessSnapshot(
        client_id=client_id,
        conversation_id=latest_conversation_id(session, client_id),
        level=readiness.level,
        growth_prompts=growth_prompts,
        reasons=json.dumps(list(readiness.reasons)),
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def snapshots_for(session: Session, client_id: str) -> list[tuple[ReadinessSnapshot, list[str]]]:
    """Every snapshot of the client, oldest first, with its reasons decoded."""
    rows: Sequence[ReadinessSnapshot] = session.scalars(
        select(ReadinessSnapshot)
        .where(ReadinessSnapshot.client_id == client_id)
        .order_by(ReadinessSnapshot.id)
    ).all()
    return [(row, json.loads(row.reasons)) for row in rows]
