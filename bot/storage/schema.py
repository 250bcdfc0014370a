"""The app's schema, kept by Alembic migrations (bot/storage/migrations).

`reflect db upgrade` (and `reflect run`, before it starts anything) brings a database to the
newest revision. The processes that serve (entry point, worker) only check that it is there, so
replicas never race to migrate. The embedded default, a SQLite file under var/, is upgraded by
whichever command opens it, as there is nobody else to do it.

A database made before migrations (release 452b067 or a little earlier, by `create_all`) has
tables but no revision: it is taken as the baseline revision once every baseline table and
column is found in it, else it is refused with the missing ones named.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import Connection

from bot.settings import Settings
from bot.storage.db import engine_for

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The schema of release 452b067, the last one made without migrations.
BASELINE = "0001"
VERSION_TABLE = "alembic_version"


class SchemaError(RuntimeError):
    """The database is not at the newest revision, or cannot be brought to it safely."""


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision in bot/storage/migrations/versions."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(url: str) -> str | None:
    """The database's revision; None for a database that has never been migrated."""
    with engine_for(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _baseline_tables() -> dict[str, set[str]]:
    """Each table of the baseline revision and its columns, read off a scratch database."""
    engine = create_engine("sqlite://", future=True)
    with engine.begin() as connection:
        command.upgrade(_config(connection), BASELINE)
        found = inspect(connection)
        return {
            table: {c["name"] for c in found.get_columns(table)}
            for table in found.get_table_names()
            if table != VERSION_TABLE
        }


def _adopt(connection: Connection) -> None:
    """Stamps a pre-migration database as the baseline, after checking it holds all of it."""
    found = inspect(connection)
    have = set(found.get_table_names())
    missing = []
    for table, columns in sorted(_baseline_tables().items()):
        if table not in have:
            missing.append(table)
            continue
        present = {c["name"] for c in found.get_columns(table)}
        missing += [f"{table}.{column}" for column in sorted(columns - present)]
    if missing:
        raise SchemaError(
            "this database was made before migrations, by a release older than 452b067; it "
            f"lacks {', '.join(missing)}. Upgrade it with release "
            "452b067 first (its `reflect db init`), then run `reflect db upgrade`."
        )
    command.stamp(_config(connection), BASELINE)


def upgrade_schema(url: str) -> None:
    """Brings the database at `url` to the newest revision. Raises SchemaError for a
    pre-migration database that lacks part of the baseline."""
    with engine_for(url).begin() as connection:
        tables = set(inspect(connection).get_table_names())
        if tables and VERSION_TABLE not in tables:
            _adopt(connection)
        command.upgrade(_config(connection), "head")


def require_current_schema(url: str) -> None:
    """Raises SchemaError unless the database is at the newest revision."""
    current, head = current_revision(url), head_revision()
    if current != head:
        raise SchemaError(
            f"the database is at revision {current or 'none'}, not {head}: "
            "run `reflect db upgrade` first"
        )


def ensure_schema(settings: Settings) -> None:
    """The embedded default is upgraded here; a configured database (REFLECT_DATABASE_URL)
    must already be current, as migrating it is a deliberate step of its own."""
    if settings.database_url:
        require_current_schema(settings.app_database_url)
    else:
        upgrade_schema(settings.app_database_url)
