"""Typed request and response bodies of the entry point."""

from __future__ import annotations

from pydantic import BaseModel, StrictStr

from bot.escalation.contact_check import ContactsStatus


class MessageIn(BaseModel):
    """A client's message; `client_id` must match the bearer token."""

    client_id: StrictStr
    text: StrictStr


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    text: str
    buttons: list[ButtonOut] = []


class MessageOut(BaseModel):
    conversation_id: int
    replies: list[ReplyOut]


class TranscriptMessageOut(BaseModel):
    id: int
    sender: str  # client | bot | clinician
    text: str


class TranscriptOut(BaseModel):
    messages: list[TranscriptMessageOut]


class HealthOut(BaseModel):
    status: str
    assistant: str
    # ok | none | example_only | no_fallback (bot/escalation/contact_check.py)
    escalation_contacts: ContactsStatus
