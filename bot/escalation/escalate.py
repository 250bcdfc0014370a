"""Opening an escalation, the one way both the entry point and the action server do it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.escalation.config import OnCall, on_call
from bot.settings import Settings
from bot.storage.escalations import (
    ASKED_REASON,
    active_escalation,
    is_crisis_mode,
    open_escalation,
    raise_to_crisis,
)
from bot.storage.models import Escalation, Message

CRISIS_REASON = "the input rail found a crisis"
SAFEGUARDING_REASON = "the input rail found abuse or violence against the client (safeguarding)"
SAID_YES_REASON = "the client did not say no when asked about thoughts of suicide"


def escalate(
    session: Session, settings: Settings, message: Message, client_id: str, reason: str
) -> Escalation:
    """The client's active escalation, or a new one told to the first contact (and the client's
    therapist); the caller commits.

    A crisis while a request for a person is open turns that request into a crisis
    escalation, marked urgent and told again at once.
    """
    active = active_escalation(session, client_id)
    if active is None:
        return open_escalation(session, message, client_id, reason, _on_call(settings))
    if reason != ASKED_REASON and not is_crisis_mode(active):
        raise_to_crisis(session, active, message, reason, _on_call(settings))
    return active


def _on_call(settings: Settings) -> OnCall:
    """The on-call file, read only when a contact is to be told."""
    return on_call(settings.config_path(settings.on_call_file))
