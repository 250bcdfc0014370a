"""`reflect chat`: talk to the running assistant through the entry point, as a client would."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO
from uuid import uuid4

import httpx

MAX_RETRIES_WHEN_LIMITED = 3
CLINICIAN_POLL_S = 2.0


@dataclass
class ChatSession:
    """One client's chat; typing a button's title sends that button's payload."""

    url: str
    client_id: str
    token: str
    timeout_s: float = 60.0
    buttons: dict[str, str] = field(default_factory=dict)
    # The newest transcript message already seen, so only new clinician messages are shown.
    seen_id: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, text: str) -> dict[str, Any]:
        """Sends a message and returns the entry point's JSON answer, waiting out rate limits.

        Every try carries the same `client_message_id`, so a resend is never stored twice.
        """
        message = self.buttons.get(text.strip().lower(), text)
        body = {"client_id": self.client_id, "text": message, "client_message_id": uuid4().hex}
        for _ in range(MAX_RETRIES_WHEN_LIMITED + 1):
            response = httpx.post(
                f"{self.url}/v1/messages",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout_s,
            )
            if response.status_code != 429:
                break
            time.sleep(float(response.headers.get("Retry-After", "1")))
        answer: dict[str, Any] = response.json()
        if response.is_success:
            self.buttons = {
                b["title"].lower(): b["payload"] for r in answer["replies"] for b in r["buttons"]
            }
        return answer

    def clinician_messages(self) -> list[str]:
        """What a clinician wrote since last asked (the first call only catches up).

        A failed poll shows nothing; the next one catches up.
        """
        with self._lock:
            try:
                response = httpx.get(
                    f"{self.url}/v1/messages",
                    params={"client_id": self.client_id, "after": self.seen_id},
                    headers={"Authorization": f"Bearer {self.token}"},
                    timeout=self.timeout_s,
                )
            except httpx.HTTPError:
                return []
            if not response.is_success:
                return []
            messages = response.json()["messages"]
            first_call, self.seen_id = (
                self.seen_id == 0,
                max([self.seen_id, *(m["id"] for m in messages)]),
            )
        return [] if first_call else [m["text"] for m in messages if m["sender"] == "clinician"]


def _print_clinician(texts: list[str], out: TextIO, as_json: bool) -> None:
    for text in texts:
        out.write(
            json.dumps({"from": "clinician", "text": text}) + "\n"
            if as_json
            else f"clinician> {text}\n"
        )
    out.flush()


def _watch_clinician(session: ChatSession, out: TextIO, stop: threading.Event) -> None:
    """In a terminal, clinician messages show up while the client is typing."""
    while not stop.wait(CLINICIAN_POLL_S):
        _print_clinician(session.clinician_messages(), out, as_json=False)


def run_chat(
    session: ChatSession, lines: Iterable[str], out: TextIO, *, as_json: bool, prompt: bool
) -> int:
    """Sends each line and prints the replies; returns 1 if any message failed, else 0."""
    failed = 0
    session.clinician_messages()  # catch up: earlier chats are not shown again
    stop = threading.Event()
    if prompt:
        out.write("Type a message; Ctrl-D or 'quit' leaves. Say 'stop' to end any exercise.\n")
        threading.Thread(target=_watch_clinician, args=(session, out, stop), daemon=True).start()
    for line in _prompted(lines, out) if prompt else lines:
        text = line.rstrip("\n")
        if prompt and text.strip().lower() in {"quit", "exit"}:
            break
        if not text.strip():
            continue
        try:
            body = session.send(text)
        except httpx.HTTPError as error:
            body = {"error": "unreachable", "detail": f"Could not reach {session.url}: {error}"}
        failed |= "error" in body
        _print(body, out, as_json)
        if not prompt:
            _print_clinician(session.clinician_messages(), out, as_json)
    stop.set()
    return int(failed)


def _prompted(lines: Iterable[str], out: TextIO) -> Iterable[str]:
    """Shows a prompt before each line is read."""
    iterator = iter(lines)
    while True:
        out.write("you> ")
        out.flush()
        line = next(iterator, None)
        if line is None:
            return
        yield line


def _print(body: dict[str, Any], out: TextIO, as_json: bool) -> None:
    if "error" in body:
        if as_json:
            out.write(json.dumps({"error": body["error"], "detail": body.get("detail", "")}) + "\n")
        else:
            sys.stderr.write(f"error ({body['error']}): {body.get('detail', '')}\n")
        return
    for reply in body["replies"]:
        if as_json:
            out.write(json.dumps(reply) + "\n")
        else:
            out.write(f"reflect> {reply['text']}\n")
            if reply["buttons"]:
                out.write("         (" + " / ".join(b["title"] for b in reply["buttons"]) + ")\n")
    out.flush()
