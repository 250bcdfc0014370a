"""Talks to Rasa's REST channel and HTTP API, on one or several Rasa servers.

Each conversation keeps to one server, chosen by a stable hash of its sender id, so its turns
queue in one place; Rasa's lock store (Redis, with several servers) is what guarantees that no
two servers ever process them at once. When that server refuses the connection, the request
goes to the next in the list: a refused connection means the message never arrived, so nothing
is processed twice. A server that took the message and then failed or timed out is not
retried elsewhere, for the same reason: the turn is refused and the client resends.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.private_files import kept_secret
from bot.settings import Settings


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    text: str
    buttons: list[Button] = field(default_factory=list)


# The metadata key of the id the entry point gave the message: Rasa's event broker passes it
# on, so `reflect events` can tie the assistant's reading to the stored message.
MESSAGE_ID_KEY = "reflect_message_id"


class AssistantUnavailable(RuntimeError):
    """Rasa did not answer in time or answered with an error."""


def servers_for(settings: Settings, sender: str) -> list[str]:
    """The Rasa servers to try for this conversation, its own first."""
    servers = settings.rasa_servers
    start = int.from_bytes(hashlib.sha256(sender.encode()).digest()[:8], "big") % len(servers)
    return [*servers[start:], *servers[:start]]


def _post(
    settings: Settings, sender: str, path: str, timeout_s: float, **request: Any
) -> httpx.Response:
    """POSTs to the conversation's server, or the next one that accepts the connection;
    raises AssistantUnavailable when none does, or the one that did failed."""
    refused: list[str] = []
    for server in servers_for(settings, sender):
        try:
            response = httpx.post(f"{server}{path}", timeout=timeout_s, **request)
        except httpx.ConnectError:  # never reached it: safe to send elsewhere
            refused.append(server)
            continue
        except httpx.HTTPError as error:
            raise AssistantUnavailable(f"{server}: {error}") from error
        if response.is_error:
            raise AssistantUnavailable(f"{server} answered {response.status_code}")
        return response
    raise AssistantUnavailable(f"no Rasa server accepted the connection: {', '.join(refused)}")


def send(
    settings: Settings, sender: str, text: str, metadata: dict[str, Any], timeout_s: float
) -> list[BotReply]:
    """Posts one client message, with what the entry point knows of it, and returns the replies."""
    response = _post(
        settings,
        sender,
        "/webhooks/rest/webhook",
        timeout_s,
        json={"sender": sender, "message": text, "metadata": metadata},
    )
    try:
        messages = response.json()
    except ValueError as error:
        raise AssistantUnavailable(f"Rasa's answer was not JSON: {error}") from error
    return [
        BotReply(
            text=m.get("text", ""),
            buttons=[
                Button(b.get("title", ""), b.get("payload", "")) for b in m.get("buttons", [])
            ],
        )
        for m in messages
        if m.get("text") or m.get("buttons")
    ]


def answering(settings: Settings, timeout_s: float = 2.0) -> int:
    """How many of the Rasa servers answer their status URL now."""
    count = 0
    for server in settings.rasa_servers:
        with contextlib.suppress(httpx.HTTPError):
            count += httpx.get(server, timeout=timeout_s).is_success
    return count


def api_token(settings: Settings) -> str:
    """Rasa's HTTP API token: REFLECT_RASA_API_TOKEN, else one made once and kept in var_dir."""
    return settings.rasa_api_token or kept_secret(settings.var_dir, "rasa-api-token")


def set_paused(settings: Settings, sender: str, paused: bool, timeout_s: float) -> None:
    """Appends ConversationPaused or ConversationResumed to the sender's Rasa tracker."""
    _post(
        settings,
        sender,
        f"/conversations/{sender}/tracker/events",
        timeout_s,
        params={"token": api_token(settings)},
        json={"event": "pause" if paused else "resume"},
    )
