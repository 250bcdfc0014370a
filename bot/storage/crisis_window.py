"""What a clinician may read of a client's chat during an escalation: its crisis window.

The window is the conversation that led to the escalation, from that conversation's first
message, and everything said after the triggering message (in any conversation) until the
escalation is resolved. Nothing before that conversation is in it, and nothing after the
resolution, so a client who keeps their entries private is not read by whoever took the call.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.storage.models import Conversation, Escalation, Message


def crisis_window(session: Session, escalation: Escalation, after_id: int = 0) -> list[Message]:
    """The messages of the escalation's crisis window with an id above `after_id`, oldest
    first: the client's, the bot's and any clinician's. Open-ended while it is unresolved."""
    query = (
        select(Message)
        .join(Conversation)
        .where(
            Conversation.client_id == escalation.client_id,
            Message.id > after_id,
            or_(
                Message.conversation_id == escalation.conversation_id,
                Message.id >= escalation.message_id,
            ),
        )
        .order_by(Message.id)
    )
    if escalation.resolved_at is not None:
        query = query.where(Message.created_at <= escalation.resolved_at)
    return list(session.scalars(query))
