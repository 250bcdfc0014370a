"""Opening an escalation, the one way both the entry point and the action server do it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.escalation.config import on_call
from bot.settings import Settings
from bot.storage.escalations import active_escalation, open_escalation
from bot.storage.models import Escalation, Message

CRISIS_REASON = "the input rail found a crisis"
SAFEGUARDING_REASON = "the input rail found abuse or violence against the client (safeguarding)"
ASKED_REASON = "the client asked for a person"
SAID_YES_REASON = "the client did not say no when asked about thoughts of suicide"


def escalate(
    session: Session, settings: Settings, message: Message, client_id: str, reason: str
) -> Escalation:
    """The client's active escalation, or a new one told to the first contact (and the client's
    therapist); the caller commits."""
    active = active_escalation(session, client_id)
    if active is not None:
        return active
    config = on_call(settings.config_path(settings.on_call_file))
    return open_escalation(session, message, client_id, reason, config)
