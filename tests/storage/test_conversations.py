"""Conversations and client messages: one open conversation per client, even under a race,
on SQLite and on PostgreSQL; a client's message id is stored once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.accounts import add_client
from bot.storage.conversations import current_conversation, record, replies_to, sent_before
from bot.storage.db import session_scope
from bot.storage.models import Conversation, utcnow
from bot.storage.schema import upgrade_schema


def _race_to_open(url: str, threads: int = 12) -> set[int]:
    """`threads` turns for one idle client, started together; the conversations they got."""
    upgrade_schema(url)
    with session_scope(url) as session:
        add_client(session, "Sam", client_id="sam")
        old = Conversation(client_id="sam", open_for="sam")
        old.last_activity_at = utcnow() - timedelta(hours=3)
        session.add(old)
    start = threading.Barrier(threads)
    got: list[int] = []

    def turn() -> None:
        with session_scope(url) as session:
            start.wait()
            got.append(current_conversation(session, "sam", idle_minutes=60).id)

    workers = [threading.Thread(target=turn) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(got) == threads  # no turn failed
    return set(got)


def _open_conversations(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.open_for == "sam")
        )


def test_racing_turns_open_one_conversation_on_sqlite(db_url: str) -> None:
    assert len(_race_to_open(db_url)) == 1
    assert _open_conversations(db_url) == 1


def test_racing_turns_open_one_conversation_on_postgresql(postgres_url: str) -> None:
    assert len(_race_to_open(postgres_url)) == 1
    assert _open_conversations(postgres_url) == 1


def test_the_database_refuses_a_second_open_conversation(session: Session) -> None:
    add_client(session, "Sam", client_id="sam")
    current_conversation(session, "sam", idle_minutes=60)
    session.add(Conversation(client_id="sam", open_for="sam"))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_client_message_id_is_stored_once_and_finds_its_replies(session: Session) -> None:
    add_client(session, "Sam", client_id="sam")
    conversation = current_conversation(session, "sam", idle_minutes=60)
    message = record(session, conversation, "client", "hello", client_message_id="m-1")
    reply = record(session, conversation, "bot", "Hi, Sam.", reply_to=message)
    record(session, conversation, "bot", "Unrelated.")

    assert sent_before(session, "sam", "m-1") is message
    assert sent_before(session, "sam", "m-2") is None
    assert replies_to(session, message) == [reply]
    with pytest.raises(IntegrityError):
        record(session, conversation, "client", "hello", client_message_id="m-1")
    session.rollback()
