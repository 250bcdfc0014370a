"""Hopelessness gets a direct, gentle question about suicide; anything but a clear no escalates."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.storage.conversations import last_bot_text
from guardrails import RiskAssessment

SUICIDE_QUESTION = (
    "When things feel this hopeless, some people start to have thoughts of ending their life. "
    "I'd like to ask you directly, and it's okay to answer honestly: are you having thoughts "
    "of suicide?"
)
ANSWERED_NO = (
    "Thank you for answering me. If thoughts like that do come, you can say so here at any time, "
    "and I'll make sure a person from your care team knows. Whenever you're ready, we can carry "
    "on from where we were, or simply pause here."
)
# Only a plain no stands down: "sometimes", "maybe" or a question back all go to a person.
CLEAR_NO = re.compile(
    r"^(no+|nope|nah|no,? i'?m not|i'?m not|not at all|no,? not at all|no,? never|never)[.! ]*$"
)


def needs_the_question(risk: RiskAssessment) -> bool:
    return risk.level == "concern" and "hopelessness" in risk.signals


def was_asked(session: Session, conversation_id: int) -> bool:
    """Whether the assistant's last words in this conversation were the suicide question."""
    return last_bot_text(session, conversation_id) == SUICIDE_QUESTION


def is_clear_no(text: str) -> bool:
    return bool(CLEAR_NO.match(text.strip().lower()))
