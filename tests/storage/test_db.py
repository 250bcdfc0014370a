"""The engine on a real SQLite file: a failing statement's error does not quote its values."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from bot.storage.conversations import current_conversation, record
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Client

WORDS = "what i wrote tonight, quillwort-amaranth"


def test_an_error_names_the_statement_but_not_the_clients_words(
    db_url: str, enrolled_client: Client
) -> None:
    with engine_for(db_url).begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON messages "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    with pytest.raises(IntegrityError) as failed, session_scope(db_url) as session:
        record(session, current_conversation(session, "sam", 60), "client", WORDS)
    assert "INSERT INTO messages" in str(failed.value)
    assert "quillwort" not in str(failed.value)
