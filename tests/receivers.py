"""Real local receivers for notifications: an HTTP webhook server and an aiosmtpd SMTP server."""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

from aiosmtpd.controller import Controller

from bot.escalation.notifiers import SIGNATURE_HEADER, signature

T = TypeVar("T")


@dataclass(frozen=True)
class Received:
    path: str
    payload: dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when it arrived, for the benchmark


@dataclass
class WebhookReceiver:
    """Accepts signed JSON POSTs on 127.0.0.1:port; can be stopped and started on the same port."""

    port: int
    secret: str
    received: list[Received] = field(default_factory=list)
    bad_signatures: int = 0
    _server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = signature(receiver.secret, body)
                if not hmac.compare_digest(self.headers.get(SIGNATURE_HEADER, ""), expected):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                else:
                    receiver.received.append(Received(self.path, json.loads(body)))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Shuts the server and its socket: deliveries are refused until it starts again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def for_escalation(self, escalation_id: int, path: str) -> list[Received]:
        return [
            r
            for r in self.received
            if r.path == path and r.payload["escalation_id"] == escalation_id
        ]


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class SmtpReceiver:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it is sent."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._mailbox = _Mailbox()
        self._controller = Controller(self._mailbox, hostname="127.0.0.1", port=port)

    @property
    def messages(self) -> list[Message]:
        return self._mailbox.messages

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


def wait_for(check: Callable[[], T], timeout_s: float = 60) -> T:
    """Polls until `check` returns something truthy; a generous bound, not a timing assertion."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.1)
    raise AssertionError(f"nothing arrived within {timeout_s} s")
