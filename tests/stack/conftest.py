"""A real running stack (actions, Rasa, worker, entry point) on free loopback ports.

Escalations from it go to real local receivers: a webhook server and an SMTP server.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.rasa_client import api_token
from bot.settings import Settings
from bot.stack import Stack
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.models import Conversation, Message
from tests.conftest import PROJECT_DIR
from tests.receivers import SmtpReceiver, WebhookReceiver

MODEL = PROJECT_DIR / "models" / "reflect.tar.gz"
REFLECT = str(Path(sys.executable).parent / "reflect")
RATE_LIMIT = 20
WEBHOOK_SECRET = "test-secret"
# Short, so the tests see an unacknowledged escalation move on to the next contact.
ACK_S = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Receivers:
    webhook: WebhookReceiver
    smtp: SmtpReceiver
    on_call_file: Path


@pytest.fixture(scope="session")
def receivers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receivers]:
    """Two on-call contacts, each with a webhook path on one receiver and an email address."""
    webhook = WebhookReceiver(free_port(), WEBHOOK_SECRET)
    smtp = SmtpReceiver(free_port())
    on_call = tmp_path_factory.mktemp("config") / "on_call.yml"
    on_call.write_text(
        "contacts:\n"
        f"  - {{name: First, email: first@clinic.example, webhook: '{webhook.url('/first')}'}}\n"
        f"  - {{name: Second, email: second@clinic.example, webhook: '{webhook.url('/second')}'}}\n"
    )
    webhook.start()
    smtp.start()
    yield Receivers(webhook, smtp, on_call)
    webhook.stop()
    smtp.stop()


def stack_settings(var_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "var_dir": var_dir,
        "port": free_port(),
        "rasa_port": free_port(),
        "action_port": free_port(),
        "rate_limit_burst": RATE_LIMIT,
        # Slow, so a test that uses up the limit sees the next message refused.
        "rate_limit_refill_s": 60.0,
        "max_message_bytes": 8192,
        "webhook_secret": WEBHOOK_SECRET,
        "escalation_ack_s": ACK_S,
        "outbox_max_backoff_s": 1.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, receivers: Receivers) -> Iterator[Stack]:
    """One stack for the whole session: Rasa takes about half a minute to start."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: `make test` trains it before pytest runs")
    settings = stack_settings(
        tmp_path_factory.mktemp("var"),
        on_call_file=receivers.on_call_file,
        smtp_port=receivers.smtp.port,
    )
    running = Stack(settings, MODEL)
    running.start()
    yield running
    running.stop()


@dataclass(frozen=True)
class Enrolled:
    client_id: str
    token: str


@pytest.fixture
def enrol(stack: Stack) -> Callable[..., Enrolled]:
    """Enrols a client in the running stack's database."""

    def make(client_id: str, share: bool = False) -> Enrolled:
        with session_scope(stack.settings.app_database_url) as session:
            _, token = add_client(session, client_id, client_id=client_id, share_by_default=share)
        return Enrolled(client_id, token)

    return make


def post(stack: Stack, client: Enrolled, text: str) -> httpx.Response:
    return httpx.post(
        f"{stack.settings.entry_url}/v1/messages",
        json={"client_id": client.client_id, "text": text},
        headers={"Authorization": f"Bearer {client.token}"},
        timeout=60,
    )


def send_with_id(stack: Stack, client: Enrolled, text: str, message_id: str) -> httpx.Response:
    """POSTs a message with the id the client's app gave it (a resend keeps the id)."""
    return httpx.post(
        f"{stack.settings.entry_url}/v1/messages",
        json={"client_id": client.client_id, "text": text, "client_message_id": message_id},
        headers={"Authorization": f"Bearer {client.token}"},
        timeout=60,
    )


def client_messages(stack: Stack, client_id: str) -> list[Message]:
    """The client's own messages as the entry point stored them, oldest first."""
    with session_scope(stack.settings.app_database_url) as session:
        return list(
            session.scalars(
                select(Message)
                .join(Conversation)
                .where(Conversation.client_id == client_id, Message.sender == "client")
                .order_by(Message.id)
            )
        )


def rasa_events(stack: Stack, sender: str) -> list[dict]:
    """The sender's events in Rasa's own tracker, read through Rasa's HTTP API."""
    response = httpx.get(
        f"{stack.settings.rasa_servers[0]}/conversations/{sender}/tracker",
        params={"token": api_token(stack.settings)},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["events"]


def chat(
    stack: Stack, client: Enrolled, lines: list[str], *flags: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            REFLECT,
            "chat",
            "--client",
            client.client_id,
            # One argument, so a token that starts with "-" is not read as an option.
            f"--token={client.token}",
            "--url",
            stack.settings.entry_url,
            *flags,
        ],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
