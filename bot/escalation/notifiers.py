"""Notifiers, one per outbox channel: a signed JSON webhook and SMTP email."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import httpx

from bot.settings import Settings

SIGNATURE_HEADER = "X-Reflect-Signature"


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC>` of the exact body, so a receiver can check who sent it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(settings: Settings, url: str, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, sort_keys=True).encode()
    response = httpx.post(
        url,
        content=body,
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(settings.webhook_secret, body),
        },
        timeout=settings.webhook_timeout_s,
    )
    response.raise_for_status()


def send_email(settings: Settings, address: str, payload: dict[str, Any]) -> None:
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = address
    message["Subject"] = (
        f"Reflect escalation #{payload['escalation_id']}: client {payload['client_id']}"
    )
    message.set_content(
        f"Client {payload['client_id']} needs a person ({payload['reason']}).\n\n"
        f"Their message: {payload['message']}\n"
        f"Level: {payload['level']}; signals: {', '.join(payload['signals']) or 'none'}\n"
        f"Raised at: {payload['created_at']} UTC\n\n"
        f"Acknowledge: {payload['acknowledge_with']}\n"
    )
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)


# Adding a channel is adding a function here and a field to the on-call contacts.
NOTIFIERS: dict[str, Callable[[Settings, str, dict[str, Any]], None]] = {
    "webhook": send_webhook,
    "email": send_email,
}
