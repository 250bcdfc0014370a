"""The stack on the servers it scales on: the app's tables and Rasa's tracker store in
PostgreSQL, Rasa's lock store and the rate limits in Redis. A conversation, a crisis among it,
lands in both databases, and Rasa takes each turn's lock in Redis."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import redis
from sqlalchemy import create_engine, text

from bot.rasa_endpoints import LOCK_KEY_PREFIX
from bot.stack import Stack
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.schema import upgrade_schema
from tests.conftest import postgres_database
from tests.receivers import wait_for
from tests.stack.conftest import MODEL, Enrolled, Receivers, client_messages, post, stack_settings
from tests.stack.test_escalation import CRISIS, escalations_of

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory, receivers: Receivers) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: `make test` trains it before pytest runs")
    with ExitStack() as cleanup:
        app_db = cleanup.enter_context(postgres_database())
        tracker_db = cleanup.enter_context(postgres_database())
        upgrade_schema(app_db)
        settings = stack_settings(
            tmp_path_factory.mktemp("scaled"),
            database_url=app_db,
            tracker_store_url=tracker_db,
            redis_url=REDIS,
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


def test_a_conversation_on_postgresql_and_redis(scaled: Stack, receivers: Receivers) -> None:
    with session_scope(scaled.settings.app_database_url) as session:
        _, token = add_client(session, "Ari", client_id="ari-scaled")
    client = Enrolled("ari-scaled", token)
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
    tracker = create_engine(scaled.settings.tracker_store_url, future=True)
    try:
        with tracker.connect() as connection:
            said = connection.execute(
                text(
                    "SELECT data::json->>'text' FROM events "
                    "WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"
                ),
                {"sender": "ari-scaled"},
            ).scalars()
            assert list(said) == ["hi", CRISIS]
    finally:
        tracker.dispose()
