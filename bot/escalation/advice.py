"""Advice on a joined clinician's message before it goes to the client: the output rail's check of
text nobody here wrote, as a note the clinician may overrule, never as a block.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.storage.conversations import latest_client_message
from bot.storage.models import Escalation
from guardrails import check_free_text
from guardrails.reply import MODEL_PREFIX


def last_client_level(session: Session, client_id: str) -> str | None:
    """The input rail's level for the client's latest message (none, concern or crisis)."""
    message = latest_client_message(session, client_id)
    return None if message is None else message.risk_level


def advice_on(session: Session, escalation: Escalation, text: str) -> str | None:
    """A note such as "this may read as minimising", or None when the check finds nothing.

    The message is read as a reply to the client's latest message, at that message's level.
    """
    verdict = check_free_text(text, last_client_level(session, escalation.client_id))
    if verdict.verdict == "allow":
        return None
    kinds = dict.fromkeys(r.removeprefix(MODEL_PREFIX).replace("_", " ") for r in verdict.reasons)
    return (
        f"this may read as {' / '.join(kinds)} to someone in distress; "
        "a validating reply usually lands better"
    )
