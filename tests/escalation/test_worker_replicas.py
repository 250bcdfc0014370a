"""Several `reflect worker` processes on one database, on SQLite and on PostgreSQL, with a real
webhook receiver: every notification arrives exactly once, and each re-notification is queued
once per escalation however many workers see it due."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.escalation.config import Contact
from bot.settings import PROJECT_DIR
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.escalations import acknowledge, renotify_overdue, tell_fallback_where_unreached
from bot.storage.models import Escalation, OutboxDelivery, utcnow
from bot.storage.schema import upgrade_schema
from tests.escalation.test_worker import escalate_pills
from tests.receivers import WebhookReceiver, wait_for
from tests.stack.conftest import free_port

SECRET = "replica-secret"
WORKERS = 3
ESCALATIONS = 20
ACK_S = 2.0


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The one database every worker uses, at the newest revision."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade_schema(url)
    return url


def _workers(url: str, on_call_file: Path, var_dir: Path) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "REFLECT_DATABASE_URL": url,
        "REFLECT_VAR_DIR": str(var_dir),
        "REFLECT_ON_CALL_FILE": str(on_call_file),
        "REFLECT_WEBHOOK_SECRET": SECRET,
        "REFLECT_ESCALATION_ACK_S": str(ACK_S),
        "REFLECT_OUTBOX_POLL_S": "0.05",
    }
    reflect = str(Path(sys.executable).parent / "reflect")
    return [
        subprocess.Popen(
            [reflect, "worker"],
            env=env,
            cwd=PROJECT_DIR,
            stdout=subprocess.DEVNULL,
            stderr=(var_dir / f"worker-{n}.log").open("wb"),
        )
        for n in range(WORKERS)
    ]


def test_several_workers_deliver_each_notification_exactly_once(
    shared_db: str, tmp_path: Path
) -> None:
    webhook = WebhookReceiver(free_port(), SECRET)
    first, second = (
        Contact("First", webhook=webhook.url("/first")),
        Contact("Second", webhook=webhook.url("/second")),
    )
    on_call_file = tmp_path / "on_call.yml"
    on_call_file.write_text(
        yaml.safe_dump(
            {"contacts": [{"name": c.name, "webhook": c.webhook} for c in (first, second)]}
        )
    )
    with session_scope(shared_db) as session:
        for n in range(ESCALATIONS):
            add_client(session, f"Client {n}", client_id=f"c{n}")
        session.commit()
        ids = [escalate_pills(session, first, client=f"c{n}").id for n in range(ESCALATIONS)]

    webhook.start()
    workers = _workers(shared_db, on_call_file, tmp_path)
    try:
        # Nobody acknowledges: each escalation is paged to First, then after ACK_S to Second.
        wait_for(
            lambda: (
                {r.payload["escalation_id"] for r in webhook.received if r.path == "/second"}
                == set(ids)
            ),
            timeout_s=60,
        )
        with session_scope(shared_db) as session:
            for escalation_id in ids:
                acknowledge(session, escalation_id, "Dr. Okafor")
        # Whatever was claimed before the acknowledgement finishes; nothing is claimed after.
        with session_scope(shared_db) as session:
            wait_for(
                lambda: (
                    not session.scalars(
                        select(OutboxDelivery.id).where(
                            OutboxDelivery.delivered_at.is_(None),
                            OutboxDelivery.next_attempt_at > utcnow(),
                        )
                    ).all()
                ),
                timeout_s=30,
            )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
        webhook.stop()

    received = Counter(
        (r.payload["escalation_id"], r.payload["contact_index"], r.path) for r in webhook.received
    )
    with session_scope(shared_db) as session:
        rows = session.scalars(select(OutboxDelivery).order_by(OutboxDelivery.id)).all()
        delivered = Counter(
            (row.escalation_id, row.payload["contact_index"], row.recipient.rsplit("/", 1)[1])
            for row in rows
            if row.delivered_at is not None
        )
        for escalation_id in ids:
            paged = [r.payload["contact_index"] for r in rows if r.escalation_id == escalation_id]
            # Re-notification went round the contacts one step at a time, never twice a step.
            assert paged == [n % 2 for n in range(len(paged))]
    assert max(received.values()) == 1, "a notification arrived twice"
    assert {(e, i, "/" + p) for (e, i, p) in delivered} == set(received)
    assert all(row.attempts == 1 for row in rows if row.delivered_at is not None)
    assert webhook.bad_signatures == 0


def test_racing_passes_queue_one_re_notification_and_one_fallback(shared_db: str) -> None:
    first, second = (
        Contact("First", email="first@clinic.example"),
        Contact("Second", email="second@clinic.example"),
    )
    desk = Contact("Desk", email="desk@clinic.example")
    with session_scope(shared_db) as session:
        add_client(session, "Sam", client_id="sam")
        session.commit()
        escalation_id = escalate_pills(session, first, desk).id
        # The page to First failed an hour ago and has not got through since.
        page = session.scalars(select(OutboxDelivery)).one()
        page.attempts, page.failing_since = 1, utcnow() - timedelta(hours=1)
    later = utcnow() + timedelta(hours=1)
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def one_pass() -> None:
        try:
            with session_scope(shared_db) as session:
                start.wait()
                renotify_overdue(session, (first, second), ACK_S, later)
                session.commit()
                tell_fallback_where_unreached(session, desk, 60, later)
        except BaseException as error:  # a pass that lost a race may fail; none may double
            errors.append(error)

    threads = [threading.Thread(target=one_pass) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with session_scope(shared_db) as session:
        queued = Counter(
            (row.audience, row.payload["contact"])
            for row in session.scalars(
                select(OutboxDelivery).where(OutboxDelivery.escalation_id == escalation_id)
            )
        )
        escalation = session.get(Escalation, escalation_id)
        assert escalation is not None and escalation.fallback_at is not None
    assert queued == Counter(
        {("on_call", "First"): 1, ("on_call", "Second"): 1, ("fallback", "Desk"): 1}
    )
    assert errors == []
