"""What `reflect events` keeps of Rasa's published tracker events, on SQLite and PostgreSQL:
the reading of each turn without any words, each event once however often it arrives.
(tests/stack/test_scaled.py runs it against RabbitMQ and a real Rasa.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.events import event_row, store
from bot.rasa_client import MESSAGE_ID_KEY
from bot.storage.db import session_scope
from bot.storage.models import TrackerEvent
from bot.storage.schema import upgrade_schema

USER = {
    "sender_id": "sam",
    "event": "user",
    "timestamp": 1796100000.25,
    "text": "i want to write about my week",
    "parse_data": {"intent": {"name": "start_narrative", "confidence": 0.93}},
    "metadata": {MESSAGE_ID_KEY: 41, "risk": {"level": "none"}},
}
ACTION = {
    "sender_id": "sam",
    "event": "action",
    "timestamp": 1796100000.5,
    "name": "narrative_form",
    "confidence": 0.88,
    "policy": "RulePolicy",
}
SLOT = {
    "sender_id": "sam",
    "event": "slot",
    "timestamp": 1796100001.0,
    "name": "narrative_1",
    "value": "the words of a private answer",
}


def _body(event: dict[str, object]) -> bytes:
    return json.dumps(event).encode()


def test_a_turn_keeps_its_reading_and_none_of_its_words() -> None:
    rows = [event_row(_body(e)) for e in (USER, ACTION, SLOT)]
    assert [(r["kind"], r["at"]) for r in rows if r] == [
        ("user", 1796100000.25),
        ("action", 1796100000.5),
        ("slot", 1796100001.0),
    ]
    user, action, slot = rows
    assert user and (user["intent"], user["confidence"], user["message_id"]) == (
        "start_narrative",
        0.93,
        41,
    )
    assert action and (action["action"], action["confidence"]) == ("narrative_form", 0.88)
    assert slot and slot["slot"] == "narrative_1"
    flat = json.dumps(rows)
    assert "private answer" not in flat and "my week" not in flat


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", _body({"event": "user"})])
def test_what_is_not_a_tracker_event_is_dropped(body: bytes) -> None:
    assert event_row(body) is None


@pytest.fixture(params=["sqlite", "postgresql"])
def events_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = (
        f"sqlite:///{tmp_path / 'app.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    upgrade_schema(url)
    return url


def test_an_event_delivered_again_is_stored_once(events_db: str) -> None:
    with session_scope(events_db) as session:
        assert [store(session, _body(e)) for e in (USER, ACTION, USER, SLOT, ACTION)] == [
            True,
            True,
            False,
            True,
            False,
        ]
    with session_scope(events_db) as session:
        kinds = session.scalars(select(TrackerEvent.kind).order_by(TrackerEvent.at)).all()
    assert kinds == ["user", "action", "slot"]
