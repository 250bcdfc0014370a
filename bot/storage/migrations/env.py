"""Alembic's entry: runs migrations on the connection that bot.storage.schema hands it."""

from __future__ import annotations

from alembic import context

from bot.storage.models import Base

connection = context.config.attributes["connection"]
# SQLite alters a table by copying it: batch mode does that for later revisions.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
