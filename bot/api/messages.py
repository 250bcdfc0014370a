"""POST /v1/messages: store the message, ask the assistant, store and return its replies."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from bot import rasa_client
from bot.api.deps import (
    authenticated_client,
    get_rate_limiter,
    get_session,
    get_settings,
    incoming_message,
)
from bot.api.errors import ApiError
from bot.api.schemas import ButtonOut, MessageIn, MessageOut, ReplyOut
from bot.rasa_client import BotReply
from bot.ratelimit import RateLimiter
from bot.risk_metadata import to_metadata
from bot.settings import Settings
from bot.storage.conversations import current_conversation, record, record_reply
from bot.storage.models import Client
from guardrails import ReplyVerdict, assess_risk, check_reply, replacement_for

router = APIRouter()


def guard_reply(reply: BotReply, user_level: str) -> tuple[BotReply, str, ReplyVerdict | None]:
    """The reply to send, its original text, and the output rail's verdict if it was blocked."""
    verdict = check_reply(reply.text, user_level)
    if verdict.verdict == "allow":
        return reply, reply.text, None
    return BotReply(replacement_for(verdict)), reply.text, verdict


@router.post("/v1/messages", response_model=MessageOut)
def post_message(
    message: MessageIn = Depends(incoming_message),
    client: Client = Depends(authenticated_client),
    session: Session = Depends(get_session),
    settings: Settings = Depends(get_settings),
    limiter: RateLimiter = Depends(get_rate_limiter),
) -> MessageOut:
    conversation = current_conversation(session, client.id, settings.conversation_idle_minutes)
    risk = assess_risk(message.text)
    # A crisis is never held back by the rate limit.
    wait_s = 0.0 if risk.level == "crisis" else limiter.try_acquire(client.id)
    if wait_s:
        # Kept in the transcript even though the assistant does not answer it.
        record(session, conversation, "client", message.text, status="rate_limited", risk=risk)
        session.commit()
        seconds = math.ceil(wait_s)
        raise ApiError(
            429,
            "rate_limited",
            f"That was a lot of messages at once. Please wait {seconds} s and send it again.",
            headers={"Retry-After": str(seconds)},
        )
    stored = record(session, conversation, "client", message.text, risk=risk)
    session.commit()
    try:
        replies = rasa_client.send(
            settings.rasa_url, client.id, message.text, to_metadata(risk), settings.rasa_timeout_s
        )
    except rasa_client.AssistantUnavailable as error:
        stored.status = "undelivered"
        session.commit()
        raise ApiError(
            503,
            "assistant_unavailable",
            "The assistant is not reachable right now. Your message is saved; please try again.",
        ) from error
    checked = [guard_reply(reply, risk.level) for reply in replies]
    for reply, original, verdict in checked:
        record_reply(session, conversation, reply.text, verdict, original)
    session.commit()
    return MessageOut(
        conversation_id=conversation.id,
        replies=[
            ReplyOut(
                text=r.text,
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in r.buttons],
            )
            for r, _, _ in checked
        ],
    )
