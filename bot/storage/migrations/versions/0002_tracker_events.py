"""Tracker events from Rasa's event broker (`reflect events`), for the review.

Revision ID: 0002
Revises: 0001
Created: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracker_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("sender_id", sa.String(length=64), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("intent", sa.String(length=100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=True),
        sa.Column("slot", sa.String(length=100), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("tracker_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tracker_events_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tracker_events_sender_id"), ["sender_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tracker_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracker_events_sender_id"))
        batch_op.drop_index(batch_op.f("ix_tracker_events_message_id"))

    op.drop_table("tracker_events")
