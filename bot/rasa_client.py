"""Talks to Rasa's REST channel, which listens on 127.0.0.1 only."""

from __future__ import annotations

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


class AssistantUnavailable(RuntimeError):
    """Rasa did not answer in time or answered with an error."""


def send(
    rasa_url: str, sender: str, text: str, metadata: dict[str, Any], timeout_s: float
) -> list[BotReply]:
    """Posts one client message, with what the entry point knows of it, and returns the replies."""
    try:
        response = httpx.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text, "metadata": metadata},
            timeout=timeout_s,
        )
        response.raise_for_status()
        messages = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise AssistantUnavailable(str(error)) from error
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


def api_token(settings: Settings) -> str:
    """Rasa's HTTP API token: REFLECT_RASA_API_TOKEN, else one made once and kept in var_dir."""
    return settings.rasa_api_token or kept_secret(settings.var_dir, "rasa-api-token")


def set_paused(settings: Settings, sender: str, paused: bool, timeout_s: float) -> None:
    """Appends ConversationPaused or ConversationResumed to the sender's Rasa tracker."""
    try:
        response = httpx.post(
            f"{settings.rasa_url}/conversations/{sender}/tracker/events",
            params={"token": api_token(settings)},
            json={"event": "pause" if paused else "resume"},
            timeout=timeout_s,
        )
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise AssistantUnavailable(str(error)) from error
