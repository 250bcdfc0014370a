"""POST /v1/messages: one client turn (bot/turn.py), translated to and from HTTP."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from bot.api.deps import (
    authenticated_client,
    get_rate_limiter,
    get_session,
    get_settings,
    incoming_message,
)
from bot.api.errors import ApiError
from bot.api.schemas import ButtonOut, MessageIn, MessageOut, ReplyOut
from bot.ratelimit import RateLimiter
from bot.settings import Settings
from bot.storage.models import Client
from bot.turn import TurnRefused, take_turn

router = APIRouter()

STATUS = {"message_too_large": 413, "rate_limited": 429, "assistant_unavailable": 503}


@router.post("/v1/messages", response_model=MessageOut)
def post_message(
    message: Annotated[MessageIn, Depends(incoming_message)],
    client: Annotated[Client, Depends(authenticated_client)],
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
    limiter: Annotated[RateLimiter, Depends(get_rate_limiter)],
) -> MessageOut:
    try:
        result = take_turn(
            session, settings, limiter, client, message.text, message.client_message_id
        )
    except TurnRefused as refused:
        headers = {"Retry-After": str(refused.retry_after_s)} if refused.retry_after_s else None
        raise ApiError(STATUS[refused.code], refused.code, refused.detail, headers) from refused
    return MessageOut(
        conversation_id=result.conversation_id,
        resent=result.resent,
        replies=[
            ReplyOut(
                text=r.text,
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in r.buttons],
            )
            for r in result.replies
        ],
    )
