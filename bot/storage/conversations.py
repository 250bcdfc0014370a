"""The transcript: which conversation a message belongs to, and storing it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.models import BlockedReply, Conversation, Message, utcnow

if TYPE_CHECKING:
    from guardrails import ReplyVerdict, RiskAssessment


def current_conversation(session: Session, client_id: str, idle_minutes: int) -> Conversation:
    """The client's open conversation, or a new one once they have been idle `idle_minutes`.

    The database allows one open conversation per client (`Conversation.open_for` is unique):
    when messages race to start one, the losers roll the session back and join the winner's.
    Call this first in a transaction, as the rollback drops anything pending.
    """
    while True:
        latest = session.scalars(
            select(Conversation)
            .where(Conversation.client_id == client_id)
            .order_by(Conversation.id.desc())
            .limit(1)
        ).first()
        now = utcnow()
        if latest is not None and as_utc(latest.last_activity_at) > now - timedelta(
            minutes=idle_minutes
        ):
            latest.last_activity_at = now
            return latest
        try:
            if latest is not None:
                # Only the stale one is closed: a conversation another turn has just opened is
                # left open, so this insert fails and the loop joins it.
                session.execute(
                    update(Conversation)
                    .where(Conversation.open_for == client_id, Conversation.id <= latest.id)
                    .values(open_for=None)
                    .execution_options(synchronize_session=False)
                )
            conversation = Conversation(
                client_id=client_id, started_at=now, last_activity_at=now, open_for=client_id
            )
            session.add(conversation)
            session.flush()
        except IntegrityError:
            session.rollback()
            continue
        return conversation


def latest_conversation_id(session: Session, client_id: str) -> int | None:
    return session.scalars(
        select(Conversation.id)
        .where(Conversation.client_id == client_id)
        .order_by(Conversation.id.desc())
        .limit(1)
    ).first()


def last_bot_text(session: Session, conversation_id: int) -> str | None:
    """The assistant's last words in this conversation, or None before it has spoken."""
    return session.scalars(
        select(Message.text)
        .where(Message.conversation_id == conversation_id, Message.sender == "bot")
        .order_by(Message.id.desc())
        .limit(1)
    ).first()


def latest_client_message(session: Session, client_id: str) -> Message | None:
    """The client's newest message: the entry point stores it before Rasa sees it."""
    return session.scalars(
        select(Message)
        .join(Conversation)
        .where(Conversation.client_id == client_id, Message.sender == "client")
        .order_by(Message.id.desc())
        .limit(1)
    ).first()


def messages_after(session: Session, client_id: str, after_id: int) -> list[Message]:
    """The client's transcript past `after_id`, everyone's messages, oldest first."""
    return list(
        session.scalars(
            select(Message)
            .join(Conversation)
            .where(Conversation.client_id == client_id, Message.id > after_id)
            .order_by(Message.id)
        )
    )


def record(
    session: Session,
    conversation: Conversation,
    sender: str,
    text: str,
    status: str = "accepted",
    risk: RiskAssessment | None = None,
    *,
    client_message_id: str | None = None,
    reply_to: Message | None = None,
) -> Message:
    """Stores one message (the caller commits); raises IntegrityError if the client's message
    id is in this conversation already."""
    message = Message(
        conversation_id=conversation.id,
        sender=sender,
        text=text,
        client_message_id=client_message_id,
        reply_to_id=reply_to.id if reply_to is not None else None,
    )
    assessed(message, status, risk)
    session.add(message)
    session.flush()
    return message


def assessed(message: Message, status: str, risk: RiskAssessment | None) -> None:
    """Sets the message's status and the input rail's verdict on it."""
    message.status = status
    message.risk_level = risk.level if risk else None
    message.risk_signals = list(risk.signals) if risk else None
    message.risk_categories = list(risk.categories) if risk else None
    message.risk_detail = risk.detail() if risk else None


def sent_before(session: Session, client_id: str, client_message_id: str) -> Message | None:
    """The client's message sent earlier with this `client_message_id`, if any."""
    return session.scalars(
        select(Message)
        .join(Conversation)
        .where(Conversation.client_id == client_id, Message.client_message_id == client_message_id)
        .order_by(Message.id)
        .limit(1)
    ).first()


def replies_to(session: Session, message: Message) -> list[Message]:
    """The replies the client was sent for `message`, in order."""
    return list(
        session.scalars(
            select(Message).where(Message.reply_to_id == message.id).order_by(Message.id)
        )
    )


def record_reply(
    session: Session,
    conversation: Conversation,
    sent: str,
    blocked: ReplyVerdict | None,
    original: str,
    reply_to: Message | None = None,
) -> Message:
    """Stores the reply the client saw and, if the output rail replaced it, what it replaced."""
    message = record(session, conversation, "bot", sent, reply_to=reply_to)
    if blocked is not None:
        session.add(
            BlockedReply(
                message_id=message.id, original_text=original, reasons=list(blocked.reasons)
            )
        )
    return message


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
