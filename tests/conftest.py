"""Fixtures shared by all tests: a real SQLite database file per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.storage.accounts import add_client, add_therapist
from bot.storage.db import init_schema, session_scope
from bot.storage.models import Client

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file; the action code reads it through REFLECT_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'reflect.db'}"
    init_schema(url)
    monkeypatch.setenv("REFLECT_DATABASE_URL", url)
    return url


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    with session_scope(db_url) as session:
        yield session


@pytest.fixture
def enrolled_client(db_url: str) -> Client:
    """A client of a therapist, sharing entries by default."""
    with session_scope(db_url) as session:
        therapist = add_therapist(session, "Dr. Rivera", "rivera@clinic.example")
        client, _token = add_client(
            session, "Sam", client_id="sam", therapist_id=therapist.id, share_by_default=True
        )
    return client
