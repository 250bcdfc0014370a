"""The stack on the servers it scales on: the app's tables and Rasa's tracker store in
PostgreSQL, Rasa's lock store and the rate limits in Redis, two Rasa servers and two entry-point
workers. A conversation, a crisis among it, lands in both databases, and Rasa takes each turn's
lock in Redis. Twenty conversations at once lose, double and reorder nothing, and go on when one
Rasa server is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import redis
from sqlalchemy import create_engine, select, text

from bot.api.messages import UNSAVED_RETRY
from bot.escalation.reply import UNSAVED
from bot.events import delete_queue
from bot.rasa_client import servers_for
from bot.rasa_endpoints import LOCK_KEY_PREFIX
from bot.stack import Stack, rasa_name
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.models import TrackerEvent
from bot.storage.schema import upgrade_schema
from tests.conftest import postgres_database
from tests.receivers import wait_for
from tests.stack.conftest import (
    MODEL,
    Enrolled,
    Receivers,
    client_messages,
    post,
    send_with_id,
    stack_settings,
)
from tests.stack.test_escalation import CRISIS, escalations_of

REDIS = "redis://127.0.0.1:6379/0"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672"


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory, receivers: Receivers) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: `make test` trains it before pytest runs")
    with ExitStack() as cleanup:
        app_db = cleanup.enter_context(postgres_database())
        tracker_db = cleanup.enter_context(postgres_database())
        upgrade_schema(app_db)
        # A queue of its own, deleted afterwards: it is durable, and would go on filling.
        queue = f"reflect_test_{uuid.uuid4().hex[:12]}"
        cleanup.callback(delete_queue, RABBITMQ, queue)
        settings = stack_settings(
            tmp_path_factory.mktemp("scaled"),
            database_url=app_db,
            tracker_store_url=tracker_db,
            redis_url=REDIS,
            rasa_replicas=2,
            entry_workers=2,
            rabbitmq_url=RABBITMQ,
            events_queue=queue,
            on_call_file=receivers.on_call_file,
            smtp_port=receivers.smtp.port,
        )
        running = Stack(settings, MODEL)
        running.start()
        cleanup.callback(running.stop)
        yield running


class LockWatcher:
    """Redis keyspace events (set, del) on one conversation's Rasa lock, as they arrive."""

    def __init__(self, conversation_id: str) -> None:
        self.events: list[str] = []
        self._redis = redis.Redis.from_url(REDIS)
        self._redis.config_set("notify-keyspace-events", "K$g")
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(f"__keyspace@0__:{LOCK_KEY_PREFIX}:lock:{conversation_id}")

    def seen(self) -> set[str]:
        """Every event so far (it waits up to 0.1 s for the next)."""
        while (message := self._pubsub.get_message(timeout=0.1)) is not None:
            self.events.append(message["data"].decode())
        return set(self.events)

    def close(self) -> None:
        self._pubsub.close()
        self._redis.close()


def _enrol(scaled: Stack, client_id: str) -> Enrolled:
    with session_scope(scaled.settings.app_database_url) as session:
        _, token = add_client(session, client_id, client_id=client_id)
    return Enrolled(client_id, token)


def test_a_conversation_on_postgresql_and_redis(scaled: Stack, receivers: Receivers) -> None:
    client = _enrol(scaled, "ari-scaled")
    watcher = LockWatcher("ari-scaled")
    try:
        assert post(scaled, client, "hi").status_code == 200
        wait_for(lambda: {"set", "del"} <= watcher.seen(), timeout_s=10)
        crisis = post(scaled, client, CRISIS)
        assert crisis.status_code == 200
    finally:
        watcher.close()

    # The app's side, in PostgreSQL: both messages and the escalation, told to the on-call.
    assert [m.text for m in client_messages(scaled, "ari-scaled")] == ["hi", CRISIS]
    (escalation,) = escalations_of(scaled, "ari-scaled")
    wait_for(lambda: bool(receivers.webhook.for_escalation(escalation.id, "/first")), 30)

    # Rasa's side, in its PostgreSQL tracker store: the same words, in order.
    assert _user_events(scaled, "ari-scaled") == ["hi", CRISIS]


def _postgresql(action: str) -> None:
    """Stops or starts this machine's PostgreSQL server (the cluster on port 5432)."""
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)
    version, name = next(
        line.split()[:2] for line in clusters.stdout.splitlines() if line.split()[2] == "5432"
    )
    subprocess.run(
        ["pg_ctlcluster", version, name, action, *(["-m", "fast"] if action == "stop" else [])],
        check=True,
    )


def test_while_postgresql_restarts_the_entry_point_says_so_and_answers_a_crisis(
    scaled: Stack,
) -> None:
    client = _enrol(scaled, "pg-restart")
    assert send_with_id(scaled, client, "hi", "m1").status_code == 200
    _postgresql("stop")
    try:
        down = send_with_id(scaled, client, "are you there", "m2")
        assert (down.status_code, down.json()) == (
            503,
            {"error": "storage_unavailable", "detail": UNSAVED_RETRY},
        )
        crisis = send_with_id(scaled, client, CRISIS, "m3")
        assert (crisis.status_code, crisis.json()["error"]) == (503, "storage_unavailable")
        assert UNSAVED in crisis.json()["detail"]
        assert "988" in crisis.json()["detail"]  # the default locale's crisis line
    finally:
        _postgresql("start")
    # Back: a resend under the same id is taken in place until every part has reconnected.
    wait_for(lambda: send_with_id(scaled, client, "back again", "m4").status_code == 200, 60)
    stored = [(m.text, m.status) for m in client_messages(scaled, "pg-restart")]
    assert stored == [("hi", "accepted"), ("back again", "accepted")]


def _published(scaled: Stack, sender: str) -> Counter[tuple[str, float]]:
    """The sender's events as Rasa's tracker store holds them: (kind, timestamp)."""
    tracker = create_engine(scaled.settings.tracker_store_url, future=True)
    try:
        with tracker.connect() as connection:
            rows = connection.execute(
                text("SELECT type_name, timestamp FROM events WHERE sender_id = :sender"),
                {"sender": sender},
            )
            return Counter((kind, at) for kind, at in rows)
    finally:
        tracker.dispose()


def _consumed(scaled: Stack, sender: str) -> Counter[tuple[str, float]]:
    """The sender's events as `reflect events` stored them in the app's database."""
    with session_scope(scaled.settings.app_database_url) as session:
        rows = session.execute(
            select(TrackerEvent.kind, TrackerEvent.at).where(TrackerEvent.sender_id == sender)
        )
        return Counter((kind, at) for kind, at in rows)


def test_the_event_consumer_catches_up_after_a_stop_with_nothing_lost_or_doubled(
    scaled: Stack,
) -> None:
    client = _enrol(scaled, "events-scaled")
    assert _conversation(scaled, client, ["hi"]) == [200]
    wait_for(lambda: _consumed(scaled, client.client_id) == _published(scaled, client.client_id))

    scaled.stop_process("events")
    assert _conversation(scaled, client, ["i feel tense", "grounding please"]) == [200, 200]
    waiting = _published(scaled, client.client_id) - _consumed(scaled, client.client_id)
    assert sum(1 for kind, _ in waiting.elements() if kind == "user") == 2  # held in the queue

    scaled.start(only=("events",))
    wait_for(lambda: _consumed(scaled, client.client_id) == _published(scaled, client.client_id))
    # Each user event points at the message the entry point stored, with Rasa's reading.
    with session_scope(scaled.settings.app_database_url) as session:
        readings = session.execute(
            select(TrackerEvent.message_id, TrackerEvent.intent)
            .where(TrackerEvent.sender_id == client.client_id, TrackerEvent.kind == "user")
            .order_by(TrackerEvent.at)
        ).all()
    stored = [m.id for m in client_messages(scaled, client.client_id)]
    assert [message_id for message_id, _ in readings] == stored
    assert all(intent for _, intent in readings)


def _conversation(scaled: Stack, client: Enrolled, lines: list[str]) -> list[int]:
    return [post(scaled, client, line).status_code for line in lines]


def _user_events(scaled: Stack, sender: str) -> list[str]:
    """What Rasa's tracker store holds as the sender's words, in order."""
    tracker = create_engine(scaled.settings.tracker_store_url, future=True)
    try:
        with tracker.connect() as connection:
            return list(
                connection.execute(
                    text(
                        "SELECT data::json->>'text' FROM events "
                        "WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"
                    ),
                    {"sender": sender},
                ).scalars()
            )
    finally:
        tracker.dispose()


def test_twenty_conversations_at_once_and_a_rasa_server_killed_between_turns(
    scaled: Stack,
) -> None:
    clients = [_enrol(scaled, f"parallel-{n}") for n in range(20)]
    before = ["hi", "i feel a bit flat today", "not sure what to do with myself"]
    after = ["maybe some grounding", "ok"]
    homes = {c.client_id: servers_for(scaled.settings, c.client_id)[0] for c in clients}
    assert len(set(homes.values())) == 2  # both servers have conversations of their own

    with ThreadPoolExecutor(max_workers=20) as pool:
        assert set(pool.map(lambda c: tuple(_conversation(scaled, c, before)), clients)) == {
            (200, 200, 200)
        }
        # The second server dies between turns; its conversations move to the first.
        killed = scaled.children[rasa_name(1)].process
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
        assert set(pool.map(lambda c: tuple(_conversation(scaled, c, after)), clients)) == {
            (200, 200)
        }

    for client in clients:
        said = [*before, *after]
        assert [m.text for m in client_messages(scaled, client.client_id)] == said
        assert [m.status for m in client_messages(scaled, client.client_id)] == ["accepted"] * 5
        assert _user_events(scaled, client.client_id) == said
