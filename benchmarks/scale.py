"""Turns per second with one replica set and with two, on the servers Reflect scales on.

A replica set is one Rasa server and one entry-point worker; two is two of each (the action
server, outbox worker and event consumer stay one). Each run uses fresh PostgreSQL databases
(the app's and Rasa's tracker store) on this machine's server, Redis for the lock store and the
limits, and RabbitMQ for Rasa's events, and drives 20 and then 100 clients at once through
the journey benchmarks/latency.py uses. Writes bench/results/scale.json and prints a table.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.latency import (
    JOURNEY,
    LOADS,
    MODEL,
    RESULTS,
    Target,
    _block,
    _enrol,
    _summary,
    free_port,
)
from bot.events import delete_queue
from bot.settings import Settings
from bot.stack import Stack
from bot.storage.db import engine_for
from bot.storage.schema import upgrade_schema

POSTGRES = "postgresql://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/0"
RABBITMQ = "amqp://guest:guest@127.0.0.1:5672"
REPLICA_SETS = (1, 2)


@contextmanager
def _database() -> Iterator[str]:
    """A fresh database on the local PostgreSQL server, dropped afterwards."""
    name = f"reflect_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        engine_for(f"{POSTGRES}/{name}").dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_set(replicas: int) -> dict[str, dict[str, float]]:
    """Starts a stack of `replicas` Rasa servers and entry-point workers, loads it, stops it."""
    with ExitStack() as cleanup:
        queue = f"reflect_bench_{uuid.uuid4().hex[:12]}"
        cleanup.callback(delete_queue, RABBITMQ, queue)
        settings = Settings(
            var_dir=Path(tempfile.mkdtemp(prefix=f"reflect-scale-{replicas}-")),
            port=free_port(),
            rasa_port=free_port(),
            action_port=free_port(),
            database_url=cleanup.enter_context(_database()),
            tracker_store_url=cleanup.enter_context(_database()),
            redis_url=REDIS,
            rabbitmq_url=RABBITMQ,
            events_queue=queue,
            rasa_replicas=replicas,
            entry_workers=replicas,
            rate_limit_burst=100000,
        )
        if replicas > 1:  # further Rasa servers take the ports after rasa_port
            settings = _with_free_rasa_ports(settings, replicas)
        upgrade_schema(settings.app_database_url)
        target = Target("reflect", settings.entry_url)
        senders = {
            (clients, block): [f"s{replicas}-{clients}-{block}-{n}" for n in range(clients)]
            for clients, blocks in LOADS.items()
            for block in range(blocks)
        }
        target.tokens = _enrol(settings, [s for group in senders.values() for s in group])
        stack = Stack(settings, MODEL)
        cleanup.callback(stack.stop)
        stack.start()
        results: dict[str, dict[str, float]] = {}
        for clients in LOADS:
            latencies: list[float] = []
            seconds = 0.0
            for (load, _block_number), group in senders.items():
                if load == clients:
                    block_latencies, block_seconds = asyncio.run(_block(target, group))
                    latencies += block_latencies
                    seconds += block_seconds
            results[str(clients)] = {
                "turns_per_s": len(latencies) / seconds,
                **_summary(latencies),
            }
        return results


def _with_free_rasa_ports(settings: Settings, replicas: int) -> Settings:
    """Settings whose rasa_port and the `replicas - 1` ports after it are free."""
    while True:
        candidate = replace(settings, rasa_port=free_port())
        ports = range(candidate.rasa_port, candidate.rasa_port + replicas)
        if all(_free(port) for port in ports):
            return candidate


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def main() -> int:
    if not MODEL.exists():
        print(f"no trained model at {MODEL}; run `make train` first", file=sys.stderr)
        return 1
    print(f"replica sets {REPLICA_SETS}, {len(JOURNEY)}-turn journeys, loads {list(LOADS)}...")
    results = {str(n): run_set(n) for n in REPLICA_SETS}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(results, indent=1))
    print("replica sets | clients | turns/s | p50 ms | p95 ms")
    for replicas, loads in results.items():
        for clients, figures in loads.items():
            print(
                f"{replicas:>12} | {clients:>7} | {figures['turns_per_s']:7.1f} | "
                f"{figures['p50_ms']:6.0f} | {figures['p95_ms']:6.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
