"""Privacy in the running stack: what a clinician sees, the modes of the files Reflect makes,
no client text in any log, and one shape for every error."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select, text

from bot.api.errors import INTERNAL_ERROR
from bot.stack import Stack
from bot.storage.accounts import add_client
from bot.storage.db import engine_for, session_scope
from bot.storage.models import JournalEntry
from bot.storage.schema import upgrade_schema
from tests.stack.conftest import Enrolled, post, stack_settings
from tests.stack.test_escalation import CRISIS, escalations_of, reflect, texts

# Words no rule, model or reply contains, so any log line holding them holds a client's text.
MARK = "quillwort-amaranth"
SENSES = [f"the {MARK} mug", "a car outside", "my blanket", "coffee", "mint"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_clients_writing_after_the_escalation_is_not_in_its_transcript(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kept-private", share=False)
    assert post(stack, client, "hi").status_code == 200
    assert post(stack, client, CRISIS).status_code == 200
    (escalation,) = escalations_of(stack, "kept-private")
    number = str(escalation.id)
    reflect(stack, "escalations", "join", number, "--clinician", "Dr. Rivera")
    reflect(stack, "escalations", "say", number, "I'm here. Are you somewhere safe?")
    assert post(stack, client, "yes, at home with my sister").status_code == 200
    reflect(stack, "escalations", "resolve", number, "--notes", "Safe with family.")

    saved = texts(post(stack, client, "grounding please").json())
    for sense in SENSES:
        saved = texts(post(stack, client, sense).json())
    assert "It stays private to you" in saved
    with session_scope(stack.settings.app_database_url) as session:
        entry = session.scalars(
            select(JournalEntry).where(JournalEntry.client_id == "kept-private")
        ).one()
        assert (entry.exercise, entry.shared_with_therapist) == ("grounding", False)

    transcript = reflect(stack, "escalations", "transcript", number)
    assert "client> hi" in transcript  # the conversation that led to it
    assert f"client [CRISIS]> {CRISIS}" in transcript
    assert "clinician> I'm here. Are you somewhere safe?" in transcript
    assert "client> yes, at home with my sister" in transcript
    assert "grounding please" not in transcript
    assert MARK not in transcript and "a car outside" not in transcript


def test_the_files_the_stack_makes_are_its_users_alone(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    assert post(stack, enrol("modes"), "hello").status_code == 200  # the tracker is written
    var = stack.settings.var_dir
    logs = sorted((var / "logs").glob("*.log"))
    assert {p.name for p in logs} >= {"actions.log", "rasa.log", "worker.log", "entry.log"}
    databases = [var / "reflect.db", var / "tracker.db"]
    companions = [p for db in databases for p in db.parent.glob(db.name + "-*") if p.is_file()]
    files = [*logs, *databases, *companions, var / "rasa-api-token"]
    assert {str(p): mode(p) for p in files} == {str(p): 0o600 for p in files}
    assert (mode(var), mode(var / "logs")) == (0o700, 0o700)


def test_no_client_text_reaches_any_log(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("unlogged")
    said = [
        f"hello, it's {MARK} here",
        "grounding please",
        *SENSES,
        f"i feel so hopeless about {MARK}, nothing will ever change",
        "no, i'm not",
        f"{MARK} " * 2000,  # over the size the assistant reads: kept and refused
        f"i have pills saved up and tonight is the night. {MARK}",
        f"still {MARK}",  # crisis mode
    ]
    statuses = [post(stack, client, line).status_code for line in said]
    assert statuses[-2:] == [200, 200] and 413 in statuses
    assert escalations_of(stack, "unlogged")
    for log in (stack.settings.var_dir / "logs").glob("*.log"):
        assert MARK not in log.read_text(errors="replace"), log.name


def test_every_error_has_the_error_and_detail_shape(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    url = stack.settings.entry_url
    client = enrol("shapes-of-errors")
    auth = {"Authorization": f"Bearer {client.token}"}
    answers = {
        "not_found": httpx.get(f"{url}/no/such/path"),
        "method_not_allowed": httpx.delete(f"{url}/v1/messages", headers=auth),
        "invalid_request": httpx.get(
            f"{url}/v1/messages", params={"client_id": client.client_id, "after": "soon"}
        ),
        "malformed_json": httpx.post(f"{url}/v1/messages", content=b"{", headers=auth),
        "unauthorized": httpx.get(f"{url}/v1/messages", params={"client_id": "x"}),
    }
    statuses = {code: response.status_code for code, response in answers.items()}
    assert statuses == {
        "not_found": 404,
        "method_not_allowed": 405,
        "invalid_request": 422,
        "malformed_json": 400,
        "unauthorized": 401,
    }
    for code, response in answers.items():
        body = response.json()
        assert set(body) == {"error", "detail"} and body["error"] == code, body
        assert isinstance(body["detail"], str) and body["detail"]
    missing = httpx.get(f"{url}/v1/messages", headers=auth).json()
    assert missing["error"] == "invalid_request" and "client_id" in missing["detail"]


def test_an_unexpected_failure_is_a_500_in_the_same_shape_and_logs_no_text(
    stack: Stack, tmp_path: Path
) -> None:
    """An entry point whose database refuses to store a message fails on every message, with
    the client's words among the failing statement's values."""
    settings = stack_settings(tmp_path / "var")
    upgrade_schema(settings.app_database_url)
    with session_scope(settings.app_database_url) as session:
        _, token = add_client(session, "Broken", client_id="broken")
    with engine_for(settings.app_database_url).begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse BEFORE INSERT ON messages "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
    entry_only = Stack(settings, stack.model)
    entry_only.start(only=("entry",))
    try:
        response = post(entry_only, Enrolled("broken", token), f"my words: {MARK}")
    finally:
        entry_only.stop()
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "detail": INTERNAL_ERROR}
    log = (settings.var_dir / "logs" / "entry.log").read_text()
    assert "unexpected IntegrityError on POST /v1/messages" in log
    assert MARK not in log
