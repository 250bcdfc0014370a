"""`reflect events`: Rasa's tracker events, from its event broker (RabbitMQ), into the app's
database, where the therapist's review reads how the assistant understood each turn.

Rasa's PikaEventBroker publishes every event of every tracker to a fanout exchange; the
durable queue REFLECT_EVENTS_QUEUE is bound to it, so events wait there while this consumer is
stopped, and it catches up when it starts again. Each event is stored, then acknowledged: one
delivered again (after a crash between the two) is recognised by the SHA-256 of its body and
stored once. This process never loads Rasa: it reads JSON.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aio_pika
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.rasa_client import MESSAGE_ID_KEY
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import TrackerEvent
from bot.storage.schema import ensure_schema

log = logging.getLogger("reflect.events")
# Rasa's default exchange; Rasa and this consumer both declare it, and
# bind REFLECT_EVENTS_QUEUE to it.
EXCHANGE = "rasa-exchange"
# Events taken from the queue at a time, before their acknowledgements.
PREFETCH = 100
# How long an event that could not be stored waits before it goes back to the queue.
RETRY_S = 1.0


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def event_row(body: bytes) -> dict[str, Any] | None:
    """The columns of one published event, or None for a body that is not a tracker event.
    A user event keeps its intent and confidence and the id of the message the entry point
    stored (from the metadata it sent); an action, its name and confidence; a slot, its name
    only (its value may be a client's words)."""
    try:
        event = json.loads(body)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("sender_id"), str):
        return None
    kind, row = str(event.get("event", "")), {}
    if kind == "user":
        intent = (event.get("parse_data") or {}).get("intent") or {}
        metadata = event.get("metadata") or {}
        row = {
            "intent": intent.get("name"),
            "confidence": intent.get("confidence"),
            "message_id": _number(metadata.get(MESSAGE_ID_KEY)),
        }
    elif kind == "action":
        row = {"action": event.get("name"), "confidence": event.get("confidence")}
    elif kind == "slot":
        row = {"slot": event.get("name")}
    return {
        "key": hashlib.sha256(body).hexdigest(),
        "sender_id": event["sender_id"][:64],
        "kind": kind[:32],
        "at": float(event.get("timestamp") or 0.0),
        **row,
    }


def _store_committed(settings: Settings, body: bytes) -> None:
    with session_scope(settings.app_database_url) as session:
        store(session, body)


def store(session: Session, body: bytes) -> bool:
    """Stores one published event unless it is already there; returns whether it was new.
    A body that is not a tracker event is logged and dropped."""
    row = event_row(body)
    if row is None:
        log.warning("dropped a message that is not a tracker event (%d bytes)", len(body))
        return False
    insert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    statement = insert(TrackerEvent).values(**row).on_conflict_do_nothing(index_elements=["key"])
    return bool(session.execute(statement).rowcount)


async def consume(settings: Settings, stop: asyncio.Event) -> None:
    """Stores events as they arrive, acknowledging each once it is committed, until `stop`."""
    connection = await aio_pika.connect_robust(settings.rabbitmq_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=PREFETCH)
        # As Rasa declares them (a non-durable fanout exchange, a durable queue).
        exchange = await channel.declare_exchange(EXCHANGE, type=aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(settings.events_queue, durable=True)
        await queue.bind(exchange, "")

        async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            try:
                await asyncio.to_thread(_store_committed, settings, message.body)
            except Exception as error:  # the database is down: the event goes back, for later
                log.error("could not store an event (%s); it is requeued", type(error).__name__)
                await asyncio.sleep(RETRY_S)
                await message.nack(requeue=True)
                return
            await message.ack()

        tag = await queue.consume(on_message)
        log.info("taking tracker events from %s", settings.events_queue)
        await stop.wait()
        await queue.cancel(tag)


def delete_queue(rabbitmq_url: str, queue: str) -> None:
    """Deletes a durable queue (and what waits in it): for a test or benchmark's own queue,
    which would otherwise go on filling with every later event. It runs on a thread of its own,
    so it works whether or not an event loop is running in the caller's."""

    async def delete() -> None:
        connection = await aio_pika.connect(rabbitmq_url)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(queue)

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, delete()).result()


def run_forever(settings: Settings) -> None:
    """`reflect events`: runs until SIGTERM or SIGINT."""
    ensure_schema(settings)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for stopping in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(stopping, stop.set)
        await consume(settings, stop)

    asyncio.run(main())
