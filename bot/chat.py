"""`reflect chat`: talk to the running assistant through the entry point, as a client would."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx

MAX_RETRIES_WHEN_LIMITED = 3


@dataclass
class ChatSession:
    """One client's chat; typing a button's title sends that button's payload."""

    url: str
    client_id: str
    token: str
    timeout_s: float = 60.0
    buttons: dict[str, str] = field(default_factory=dict)

    def send(self, text: str) -> dict[str, Any]:
        """Sends a message and returns the entry point's JSON answer, waiting out rate limits."""
        message = self.buttons.get(text.strip().lower(), text)
        for _ in range(MAX_RETRIES_WHEN_LIMITED + 1):
            response = httpx.post(
                f"{self.url}/v1/messages",
                json={"client_id": self.client_id, "text": message},
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=self.timeout_s,
            )
            if response.status_code != 429:
                break
            time.sleep(float(response.headers.get("Retry-After", "1")))
        body: dict[str, Any] = response.json()
        if response.is_success:
            self.buttons = {
                b["title"].lower(): b["payload"] for r in body["replies"] for b in r["buttons"]
            }
        return body


def run_chat(
    session: ChatSession, lines: Iterable[str], out: TextIO, *, as_json: bool, prompt: bool
) -> int:
    """Sends each line and prints the replies; returns 1 if any message failed, else 0."""
    failed = 0
    if prompt:
        out.write("Type a message; Ctrl-D or 'quit' leaves. Say 'stop' to end any exercise.\n")
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
