"""Fixtures shared by all tests: a real SQLite database file per test, and a database of its
own on the local PostgreSQL server for the tests that need one."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from bot.storage.accounts import add_client, add_therapist
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Client
from bot.storage.schema import upgrade_schema

PROJECT_DIR = Path(__file__).resolve().parent.parent


POSTGRES = "postgresql://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to the newest revision, copied for each test that wants one."""
    path = tmp_path_factory.mktemp("migrated") / "reflect.db"
    upgrade_schema(f"sqlite:///{path}")
    engine_for(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_sqlite: Path) -> str:
    """A fresh SQLite file at the newest revision; the action code reads it through
    REFLECT_DATABASE_URL."""
    path = tmp_path / "reflect.db"
    shutil.copyfile(migrated_sqlite, path)
    url = f"sqlite:///{path}"
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


@contextmanager
def postgres_database() -> Iterator[str]:
    """A new, empty database on the local PostgreSQL server, dropped afterwards; its URL.
    Fails (never skips) when the server cannot be reached."""
    name = f"reflect_test_{uuid.uuid4().hex[:12]}"
    # No pool: a connection kept from before a restart of the server would fail the drop.
    admin = create_engine(
        f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", future=True, poolclass=NullPool
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{POSTGRES}/{name}"
    try:
        yield url
    finally:
        engine_for(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url
