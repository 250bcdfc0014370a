"""Typed request and response bodies of the entry point."""

from __future__ import annotations

from pydantic import BaseModel, StrictStr, constr

from bot.escalation.contact_check import ContactsStatus


class MessageIn(BaseModel):
    """A client's message; `client_id` must match the bearer token. `client_message_id`, if
    given, makes a resend safe: the same id is answered once and stored once."""

    client_id: StrictStr
    text: StrictStr
    client_message_id: constr(strict=True, min_length=1, max_length=64) | None = None  # type: ignore[valid-type]


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    text: str
    buttons: list[ButtonOut] = []


class MessageOut(BaseModel):
    conversation_id: int
    replies: list[ReplyOut]
    # True when this is the stored answer to an earlier send of the same client_message_id.
    resent: bool = False


class TranscriptMessageOut(BaseModel):
    id: int
    sender: str  # client | bot | clinician
    text: str


class TranscriptOut(BaseModel):
    messages: list[TranscriptMessageOut]


class HealthOut(BaseModel):
    status: str
    # up | degraded (some Rasa servers answer) | down
    assistant: str
    # ok | none | example_only | no_fallback (bot/escalation/contact_check.py)
    escalation_contacts: ContactsStatus
