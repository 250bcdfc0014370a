"""The audit trail: every transcript view, export, note and escalation action, append-only.

The database itself refuses UPDATE and DELETE on `audit_events` (triggers made with the table in
bot/storage/models.py, on SQLite and PostgreSQL): no code path can rewrite what happened.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import AuditEvent

Action = Literal[
    "transcript.view",
    "client.view",
    "export.json",
    "export.pdf",
    "export.csv",
    "note.add",
    "growth.set",
    "search",
    "escalation.view",
    "escalation.acknowledge",
    "escalation.join",
    "escalation.say",
    "escalation.leave",
    "escalation.resolve",
    "account.delete",
    "invite.create",
]


def audit(
    session: Session,
    actor: str,
    role: str,
    action: Action,
    subject: str,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Adds one event; it is committed with the caller's transaction, so an action that fails
    and rolls back leaves no event claiming it happened."""
    row = AuditEvent(actor=actor, role=role, action=action, subject=subject, detail=detail)
    session.add(row)
    session.flush()
    return row


def audit_trail(session: Session, limit: int = 500) -> list[AuditEvent]:
    """The newest `limit` events, newest first."""
    return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)))
