"""Escalation speed in a real stack: message to committed escalation, and to webhook received."""

from __future__ import annotations

import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.settings import Settings
from bot.stack import Stack
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.models import Escalation
from bot.storage.schema import ensure_schema
from tests.receivers import WebhookReceiver, wait_for
from tests.stack.conftest import Enrolled, free_port

MODEL = Path("models/reflect.tar.gz")
MESSAGES = 30
WARM_UP = 3  # the first messages load code paths and connections; they are not counted
CRISIS = "i have pills saved up and tonight is the night"
TARGETS_MS = {"message -> committed escalation": 200, "message -> webhook received": 1000}


def _committed_at(settings: Settings, client_id: str) -> float:
    """Polls the database every 2 ms until the client's escalation is visible (committed)."""
    while True:
        with session_scope(settings.app_database_url) as session:
            found = session.scalars(
                select(Escalation.id).where(Escalation.client_id == client_id)
            ).first()
        if found is not None:
            return time.monotonic()
        time.sleep(0.002)


def measure(
    stack: Stack, webhook: WebhookReceiver, clients: list[Enrolled]
) -> dict[str, list[float]]:
    """Sends one crisis per client, one after another, and times both milestones."""
    timings: dict[str, list[float]] = {name: [] for name in TARGETS_MS}
    # One kept-alive connection, as a chat app has, with Nagle off as browsers have it: otherwise
    # delayed ACKs on loopback add 40-200 ms that belong to the client, not to Reflect.
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    http = httpx.Client(base_url=stack.settings.entry_url, timeout=60, transport=transport)
    for n, client in enumerate(clients):
        request = threading.Thread(
            target=http.post,
            args=("/v1/messages",),
            kwargs={
                "json": {"client_id": client.client_id, "text": CRISIS},
                "headers": {"Authorization": f"Bearer {client.token}"},
            },
        )
        sent = time.monotonic()
        request.start()
        committed = _committed_at(stack.settings, client.client_id)
        (hook,) = wait_for(
            lambda c=client: [r for r in webhook.received if r.payload["client_id"] == c.client_id]
        )
        request.join()
        if n < WARM_UP:
            continue
        timings["message -> committed escalation"].append((committed - sent) * 1000)
        timings["message -> webhook received"].append((hook.at - sent) * 1000)
    return timings


def main() -> int:
    if not MODEL.exists():
        print(f"no trained model at {MODEL}; run `make train` first", file=sys.stderr)
        return 1
    var_dir = Path(tempfile.mkdtemp(prefix="reflect-bench-"))
    webhook = WebhookReceiver(free_port(), "bench-secret")
    on_call = var_dir / "on_call.yml"
    on_call.write_text(f"contacts:\n  - {{name: Bench, webhook: '{webhook.url('/hook')}'}}\n")
    settings = Settings(
        var_dir=var_dir,
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        on_call_file=on_call,
        webhook_secret="bench-secret",
        escalation_ack_s=3600.0,
    )
    ensure_schema(settings)
    with session_scope(settings.app_database_url) as session:
        clients = [
            Enrolled(f"bench-{n}", add_client(session, "Bench", client_id=f"bench-{n}")[1])
            for n in range(WARM_UP + MESSAGES)
        ]
    webhook.start()
    stack = Stack(settings, MODEL)
    print("starting a stack for the escalation benchmark (about half a minute)...")
    stack.start()
    try:
        timings = measure(stack, webhook, clients)
    finally:
        stack.stop()
        webhook.stop()
    print(
        f"escalation speed, {MESSAGES} crisis messages after {WARM_UP} unmeasured, "
        "full stack on this machine:"
    )
    for name, values in timings.items():
        cuts = statistics.quantiles(values, n=100)
        print(
            f"  {name}: p50 {cuts[49]:.0f} ms, p95 {cuts[94]:.0f} ms, max {max(values):.0f} ms "
            f"(target: p95 <= {TARGETS_MS[name]} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
