"""What the input rail reads besides the message: the question it answers and what came before.

Both come from the stored transcript of the current conversation: the question is the
assistant's last message (see bot/prompts.py), and the client's last few messages carry the
levels and signals the rail gave them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.prompts import question_of
from bot.storage.conversations import last_bot_text
from bot.storage.models import Message
from guardrails.context import RECENT_MESSAGES, PriorMessage, RiskContext


def risk_context(session: Session, conversation_id: int) -> RiskContext:
    """The context of the next client message in this conversation."""
    last_bot = last_bot_text(session, conversation_id)
    recent = list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.sender == "client")
            .order_by(Message.id.desc())
            .limit(RECENT_MESSAGES)
        )
    )
    question = question_of(last_bot)
    return RiskContext(
        slot=question.slot if question else None,
        exercise=question.exercise if question else None,
        recent=tuple(
            PriorMessage(m.text, m.risk_level or "none", tuple(m.risk_signals or ()))
            for m in reversed(recent)
        ),
    )
