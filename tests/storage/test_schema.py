"""The schema comes from Alembic migrations, on SQLite and on PostgreSQL: they make what the
models describe, a database of the previous release is upgraded with its data, an older one is
refused, and the processes that serve start only on a current database."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.cli import main
from bot.settings import Settings
from bot.storage.accounts import add_client
from bot.storage.conversations import current_conversation, record
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Base, Client, Escalation, JournalEntry, Message, OutboxDelivery
from bot.storage.schema import (
    SchemaError,
    current_revision,
    ensure_schema,
    head_revision,
    upgrade_schema,
)

RELEASE = Path(__file__).parent / "data"


def _differences(url: str) -> list[object]:
    """What the models have that the database lacks, or the other way round."""
    with engine_for(url).connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def _load_previous_release(url: str, dialect: str) -> None:
    """Loads the dump of a database that release 452b067 made (create_all), with its data."""
    dump = RELEASE / f"release-452b067.{dialect}.sql"
    if dialect == "sqlite":
        path = url.removeprefix("sqlite:///")
        subprocess.run(["sqlite3", path], input=dump.read_bytes(), check=True)
    else:
        subprocess.run(
            ["psql", "--quiet", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(dump)],
            check=True,
            stdout=subprocess.DEVNULL,
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each engine the app runs on."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.db'}"
    return request.getfixturevalue("postgres_url")


def test_the_migrations_make_what_the_models_describe(empty_url: str) -> None:
    upgrade_schema(empty_url)
    assert current_revision(empty_url) == head_revision()
    assert _differences(empty_url) == []


def test_a_database_of_the_previous_release_is_upgraded_with_its_data(empty_url: str) -> None:
    dialect = engine_for(empty_url).dialect.name
    _load_previous_release(empty_url, dialect)
    assert current_revision(empty_url) is None

    upgrade_schema(empty_url)

    assert current_revision(empty_url) == head_revision()
    assert _differences(empty_url) == []
    with session_scope(empty_url) as session:
        river = session.get(Client, "river")
        assert river is not None
        assert (river.locale, river.therapist.email) == ("GB", "rowan@clinic.example")
        texts = session.scalars(select(Message.text).order_by(Message.id)).all()
        assert texts == [
            "I can't sleep since the flood",
            "That sounds exhausting.",
            "I don't want to be here anymore",
        ]
        escalation = session.scalars(select(Escalation)).one()
        assert (escalation.state, escalation.clinician) == ("acknowledged", "Sam")
        delivery = session.scalars(select(OutboxDelivery)).one()
        assert delivery.delivered_at is not None
        entry = session.scalars(select(JournalEntry)).one()
        assert [i.answer for i in entry.items] == ["My neighbour brought soup"]
    # New writes go on where the old rows ended, and the audit trail is still append-only.
    with session_scope(empty_url) as session:
        conversation = current_conversation(session, "river", idle_minutes=60)
        later = record(session, conversation, "client", "A better night")
        session.flush()
        assert later.id == 4
    with pytest.raises(DBAPIError, match="append-only"), engine_for(empty_url).begin() as db:
        db.execute(text("DELETE FROM audit_events"))


def test_a_database_older_than_the_baseline_is_refused_naming_what_it_lacks(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with engine_for(url).begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE conversations (id INTEGER PRIMARY KEY, client_id VARCHAR(64) "
                "NOT NULL, started_at DATETIME NOT NULL, last_activity_at DATETIME NOT NULL)"
            )
        )
        connection.execute(
            text("INSERT INTO conversations VALUES (1, 'old', '2026-01-01', '2026-01-01')")
        )
    with pytest.raises(SchemaError) as refused:
        upgrade_schema(url)
    assert "conversations.open_for" in str(refused.value)
    assert "clients" in str(refused.value)
    with engine_for(url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM conversations")).scalar_one() == 1
    assert current_revision(url) is None


def test_a_configured_database_must_be_upgraded_on_purpose(
    postgres_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(var_dir=tmp_path, database_url=postgres_url)
    with pytest.raises(SchemaError, match="reflect db upgrade"):
        ensure_schema(settings)
    monkeypatch.setenv("REFLECT_DATABASE_URL", postgres_url)
    monkeypatch.setenv("REFLECT_VAR_DIR", str(tmp_path))
    assert main(["db", "current"]) == 1
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    assert f"database: {head_revision()}" in capsys.readouterr().out
    ensure_schema(settings)
    with session_scope(postgres_url) as session:
        add_client(session, "Sam", client_id="sam")


def test_the_embedded_default_is_made_by_whoever_opens_it(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    ensure_schema(settings)
    assert current_revision(settings.app_database_url) == head_revision()
