"""The audit trail: append-only in the database itself, and written by every reading of a
client's record and every escalation action."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.storage.audit import audit
from bot.storage.db import engine_for, session_scope
from bot.storage.models import AuditEvent, Message
from bot.storage.schema import upgrade_schema
from tests.web.conftest import Account, Browser, History, seed_history, sign_in

SUPPORTIVE = "I'm here with you now, and I'm glad you told us. You matter, and you are not alone."


def _one_event(url: str) -> int:
    with session_scope(url) as session:
        return audit(session, "admin@clinic.example", "admin", "search", "client:sam").id


def _assert_append_only(url: str, event_id: int) -> None:
    engine = engine_for(url)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("UPDATE audit_events SET actor = 'someone else'"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_events"))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, actor FROM audit_events")).all()
    assert [tuple(row) for row in rows] == [(event_id, "admin@clinic.example")]


def test_sqlite_refuses_update_and_delete_of_audit_events(db_url: str) -> None:
    upgrade_schema(db_url)
    _assert_append_only(db_url, _one_event(db_url))


def test_postgresql_refuses_update_and_delete_of_audit_events(postgres_url: str) -> None:
    upgrade_schema(postgres_url)
    _assert_append_only(postgres_url, _one_event(postgres_url))


def _events(db_url: str) -> Counter[tuple[str, str, str]]:
    with session_scope(db_url) as session:
        return Counter((e.actor, e.action, e.subject) for e in session.scalars(select(AuditEvent)))


@pytest.fixture
def record(db_url: str, account: Callable[..., Account]) -> tuple[Account, Account, History]:
    therapist = account("therapist@clinic.example", "therapist")
    client = account("client@clinic.example", "client", therapist_id=therapist.therapist_id)
    return therapist, client, seed_history(db_url, client.client_id or "")


def _therapist_reads(visitor: Browser, client: Account, history: History) -> None:
    base = f"/app/clients/{client.client_id}/conversations/{history.conversation_id}"
    assert visitor.get(base).status_code == 200
    assert visitor.get(base + "/transcript.csv").status_code == 200
    assert visitor.get(base + "/transcript.pdf").status_code == 200
    note = f"/app/clients/{client.client_id}/messages/{history.message_id}/notes"
    assert visitor.post(note, {"text": "ask about this"}).status_code == 303


def _clinician_acts(visitor: Browser, history: History) -> None:
    base = f"/app/escalations/{history.escalation_id}"
    assert visitor.post(base + "/acknowledge").status_code == 303
    assert visitor.post(base + "/join").status_code == 303
    assert visitor.post(base + "/say", {"text": SUPPORTIVE}).status_code == 303
    resolved = visitor.post(base + "/resolve", {"notes": "called them; safe with family"})
    assert resolved.status_code == 303


THERAPIST_ACTIONS = ("transcript.view", "export.csv", "export.pdf", "note.add")
CLINICIAN_ACTIONS = tuple(f"escalation.{a}" for a in ("acknowledge", "join", "say", "resolve"))


def test_therapist_reading_exporting_and_noting_each_leave_one_audit_row(
    db_url: str,
    browser: Callable[[], Browser],
    record: tuple[Account, Account, History],
) -> None:
    therapist, client, history = record
    _therapist_reads(sign_in(browser(), therapist), client, history)
    events = _events(db_url)
    conversation = f"conversation:{history.conversation_id}"
    for action in THERAPIST_ACTIONS[:3]:
        assert events[(therapist.email, action, conversation)] == 1, action
    assert events[(therapist.email, "note.add", f"message:{history.message_id}")] == 1


def test_clinician_escalation_actions_each_leave_one_audit_row(
    db_url: str,
    browser: Callable[[], Browser],
    account: Callable[..., Account],
    record: tuple[Account, Account, History],
) -> None:
    _therapist, _client, history = record
    clinician = account("clinician@clinic.example", "clinician")
    _clinician_acts(sign_in(browser(), clinician), history)
    with session_scope(db_url) as session:
        said = session.scalars(select(Message).where(Message.sender == "clinician")).all()
    assert [m.text for m in said] == [SUPPORTIVE]
    events = _events(db_url)
    for action in CLINICIAN_ACTIONS:
        assert events[(clinician.email, action, f"escalation:{history.escalation_id}")] == 1


def test_admin_reads_the_audit_trail_with_every_action(
    browser: Callable[[], Browser],
    account: Callable[..., Account],
    record: tuple[Account, Account, History],
) -> None:
    therapist, client, history = record
    clinician = account("clinician@clinic.example", "clinician")
    _therapist_reads(sign_in(browser(), therapist), client, history)
    _clinician_acts(sign_in(browser(), clinician), history)
    page = sign_in(browser(), account("admin@clinic.example", "admin")).get("/app/admin/audit")
    assert page.status_code == 200
    for seen in (
        therapist.email,
        clinician.email,
        f"conversation:{history.conversation_id}",
        f"message:{history.message_id}",
        f"escalation:{history.escalation_id}",
        *THERAPIST_ACTIONS,
        *CLINICIAN_ACTIONS,
    ):
        assert seen in page.text, seen
