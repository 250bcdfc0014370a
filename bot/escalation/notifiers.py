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
    message["Subject"], body = email_text(payload)
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)


def email_text(payload: dict[str, Any]) -> tuple[str, str]:
    """The subject and plain-text body of an email notification, by who it is for."""
    if payload.get("audience") == "therapist":
        return _therapist_email(payload)
    why_you = (
        "You are the fallback contact: no on-call contact could be reached about this.\n\n"
        if payload.get("audience") == "fallback"
        else ""
    )
    return (
        f"Reflect escalation #{payload['escalation_id']}: client {payload['client_id']}",
        f"{why_you}Client {payload['client_id']} needs a person ({payload['reason']}).\n\n"
        f"Their message: {payload['message']}\n"
        f"Level: {payload['level']}; signals: {', '.join(payload['signals']) or 'none'}\n"
        f"Raised at: {payload['created_at']} UTC\n\n"
        f"Acknowledge: {payload['acknowledge_with']}\n",
    )


def _therapist_email(payload: dict[str, Any]) -> tuple[str, str]:
    """The therapist's notice: what happened and who to talk to, without the client's words."""
    name = payload["client_name"]
    team = "\n".join(
        f"- {c['name']}" + (f" <{c['email']}>" if c["email"] else "") for c in payload["on_call"]
    )
    return (
        f"Reflect escalation #{payload['escalation_id']}: your client {name}",
        f"Your client {name} ({payload['client_id']}) was escalated to the on-call team at "
        f"{payload['created_at']} UTC: {payload['reason']}.\n"
        f"Level: {payload['level']}; signals: {', '.join(payload['signals']) or 'none'}\n\n"
        "The on-call team is being paged and handles the immediate response. You are told "
        f"because you are {name}'s therapist, so that you can follow up with the team and "
        "with them.\n\n"
        f"The on-call team:\n{team or '- (none is configured)'}\n\n"
        "This notice does not quote what your client wrote; the on-call team has it, and so "
        f"does the escalation record (#{payload['escalation_id']}).\n",
    )


# Adding a channel is adding a function here and a field to the on-call contacts.
NOTIFIERS: dict[str, Callable[[Settings, str, dict[str, Any]], None]] = {
    "webhook": send_webhook,
    "email": send_email,
}
