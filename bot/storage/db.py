"""Engine and session set-up shared by the entry point, the action server and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.private_files import private_sqlite
from bot.storage.models import Base


def _tune_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Several processes share one SQLite file: WAL keeps readers going; waiting avoids 'locked'."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@cache
def engine_for(url: str) -> Engine:
    """One pooled engine per database URL and process. A SQLite file is made 0600 in a 0700
    folder. No error names the values of a statement: they are clients' words, and errors are
    logged."""
    if url.startswith("sqlite:///"):
        private_sqlite(Path(url.removeprefix("sqlite:///")))
        engine = create_engine(
            url,
            future=True,
            hide_parameters=True,
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)


def init_schema(url: str) -> None:
    """Creates every table that does not exist yet, and columns and indexes added since a table
    was made."""
    engine = engine_for(url)
    Base.metadata.create_all(engine)
    _add_missing_columns(engine)
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            for index in table.indexes:
                index.create(connection, checkfirst=True)


def _add_missing_columns(engine: Engine) -> None:
    """A database made by an older version gets new columns: nullable, or with a server default."""
    existing = inspect(engine)
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            have = {c["name"] for c in existing.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    kind = column.type.compile(engine.dialect)
                    if column.server_default is not None:
                        default = column.server_default.arg  # type: ignore[attr-defined]
                        kind += f" NOT NULL DEFAULT '{default}'"
                    connection.execute(
                        text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}")
                    )


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = sessionmaker(engine_for(url), future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
