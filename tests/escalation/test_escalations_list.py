"""`reflect escalations list` shows each notification's state under its escalation."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from bot.cli import main
from bot.escalation.config import Contact
from bot.escalation.worker import deliver_due
from bot.settings import Settings
from bot.storage.escalations import acknowledge
from bot.storage.models import Client, utcnow
from tests.escalation.test_worker import escalate_pills
from tests.receivers import SmtpReceiver
from tests.stack.conftest import free_port

WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"


def test_each_notification_shows_delivered_failing_since_or_stopped(
    session: Session, enrolled_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp = SmtpReceiver(free_port())
    settings = replace(Settings(), smtp_port=smtp.port)
    closed = f"http://127.0.0.1:{free_port()}/hook"
    escalation = escalate_pills(
        session, Contact("First", email="first@clinic.example", webhook=closed)
    )
    assert main(["escalations", "list"]) == 0
    pending = capsys.readouterr().out
    assert f"on-call First by webhook <{closed}>: pending" in pending
    assert "therapist Dr. Rivera by email <rivera@clinic.example>: pending" in pending

    smtp.start()
    try:
        deliver_due(session, settings, utcnow())
    finally:
        smtp.stop()
    assert main(["escalations", "list"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        rf"on-call First by webhook <{closed}>: FAILING since {WHEN} \(1 attempts; last error: "
        r"ConnectError",
        out,
    ), out
    assert re.search(rf"on-call First by email <first@clinic.example>: delivered {WHEN}", out)
    therapist = "therapist Dr. Rivera by email <rivera@clinic.example>"
    assert re.search(rf"{therapist}: delivered {WHEN}", out)

    acknowledge(session, escalation.id, "Dr. Okafor")
    session.commit()
    assert main(["escalations", "list"]) == 0
    assert f"<{closed}>: stopped: not sent, a clinician has it in hand" in capsys.readouterr().out
