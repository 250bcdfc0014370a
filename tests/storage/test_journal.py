"""Journal entries and the transcript on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from bot.storage.conversations import current_conversation, record
from bot.storage.db import session_scope
from bot.storage.journal import (
    Answer,
    SharingChange,
    UnknownClient,
    entries_for,
    save_entry,
    set_latest_entry_sharing,
)
from bot.storage.models import Client, Conversation


def test_an_entry_keeps_prompts_answers_and_times(db_url: str, enrolled_client: Client) -> None:
    asked = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    with session_scope(db_url) as session:
        conversation = current_conversation(session, "sam", idle_minutes=60)
        save_entry(
            session,
            "sam",
            "gratitude",
            [Answer("One good thing?", "a walk", asked), Answer("Why?", "fresh air", None)],
            completed=True,
        )
    # A new session reads what the file holds, not what the last one cached.
    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert entry.exercise == "gratitude"
        assert entry.completed is True
        assert entry.conversation_id == conversation.id
        assert entry.shared_with_therapist is True  # the client's default
        assert entry.started_at.replace(tzinfo=timezone.utc) == asked
        assert [(i.position, i.prompt, i.answer) for i in entry.items] == [
            (1, "One good thing?", "a walk"),
            (2, "Why?", "fresh air"),
        ]
        assert entry.saved_at is not None


def test_sharing_can_be_set_per_entry(session: Session, enrolled_client: Client) -> None:
    entry = save_entry(session, "sam", "gratitude", [], completed=False, shared=False)
    assert entry.shared_with_therapist is False


def test_no_entry_for_an_unknown_client(session: Session) -> None:
    with pytest.raises(UnknownClient):
        save_entry(session, "nobody", "gratitude", [], completed=True)


def test_messages_stay_in_one_conversation_until_idle(
    session: Session, enrolled_client: Client
) -> None:
    first = current_conversation(session, "sam", idle_minutes=60)
    record(session, first, "client", "hello")
    assert current_conversation(session, "sam", idle_minutes=60).id == first.id
    first.last_activity_at = datetime.now(timezone.utc) - timedelta(minutes=61)
    session.flush()
    second = current_conversation(session, "sam", idle_minutes=60)
    assert second.id != first.id
    record(session, second, "bot", "hi", status="accepted")
    session.commit()
    assert [m.text for m in session.get(Conversation, first.id).messages] == ["hello"]
    assert [m.sender for m in session.get(Conversation, second.id).messages] == ["bot"]


def test_sharing_changes_only_the_latest_entry_of_the_current_conversation(
    db_url: str, enrolled_client: Client
) -> None:
    with session_scope(db_url) as session:
        earlier = current_conversation(session, "sam", idle_minutes=60)
        save_entry(session, "sam", "breathing", [Answer("p", "slower")], completed=True)
        earlier.last_activity_at = datetime.now(timezone.utc) - timedelta(hours=3)
    with session_scope(db_url) as session:
        current_conversation(session, "sam", idle_minutes=60)
        # The new conversation has no entry yet: the earlier one is not the entry just written.
        assert set_latest_entry_sharing(session, "sam", shared=False) is None
        save_entry(session, "sam", "grounding", [Answer("p", "a lamp")], completed=True)
        last = save_entry(session, "sam", "safe_place", [Answer("p", "a porch")], completed=False)
        assert set_latest_entry_sharing(session, "sam", shared=False) == SharingChange(
            last.id, "safe_place", shared=False, changed=True
        )
        assert set_latest_entry_sharing(session, "sam", shared=False) == SharingChange(
            last.id, "safe_place", shared=False, changed=False
        )
    with session_scope(db_url) as session:
        shared = [e.shared_with_therapist for e in entries_for(session, "sam")]
        assert shared == [True, True, False]


def test_sharing_needs_an_enrolled_client(db_url: str) -> None:
    with session_scope(db_url) as session, pytest.raises(UnknownClient):
        set_latest_entry_sharing(session, "nobody", shared=False)
