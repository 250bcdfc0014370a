"""POST /v1/messages: one client turn (bot/turn.py), translated to and from HTTP."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.api.deps import (
    client_with_token,
    get_rate_limiter,
    get_settings,
    incoming_message,
    new_session,
)
from bot.api.errors import ApiError
from bot.api.schemas import ButtonOut, MessageIn, MessageOut, ReplyOut
from bot.ratelimit import RateLimiter
from bot.settings import Settings
from bot.turn import TurnRefused, storage_down_reply, take_turn

router = APIRouter()

STATUS = {"message_too_large": 413, "rate_limited": 429, "assistant_unavailable": 503}
# The database cannot be reached (refused, dropped, or no pooled connection in time).
STORAGE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
UNSAVED_RETRY = "Your message could not be saved just now. Please try again in a minute."
log = logging.getLogger("reflect.entry")


@router.post("/v1/messages", response_model=MessageOut)
def post_message(
    message: Annotated[MessageIn, Depends(incoming_message)],
    settings: Annotated[Settings, Depends(get_settings)],
    limiter: Annotated[RateLimiter, Depends(get_rate_limiter)],
    authorization: Annotated[str, Header()] = "",
) -> MessageOut:
    """One turn. While the database cannot be reached, 503 `storage_unavailable`: the message
    was not stored, and a crisis in it is answered in `detail` with the crisis lines and the
    plain fact that nobody could be told (the client cannot even be checked then, and the
    lines are public).

    The session is opened and closed here, in the thread that runs the turn: closed by a
    dependency instead, its connection could wait for a free thread while every thread waits
    for a connection (FastAPI's sync dependencies share the turns' thread pool)."""
    try:
        with new_session(settings) as session:
            client = client_with_token(session, message.client_id, authorization)
            result = take_turn(
                session, settings, limiter, client, message.text, message.client_message_id
            )
    except TurnRefused as refused:
        headers = {"Retry-After": str(refused.retry_after_s)} if refused.retry_after_s else None
        raise ApiError(STATUS[refused.code], refused.code, refused.detail, headers) from refused
    except STORAGE_DOWN as error:
        log.error("database unreachable during a turn: %s", type(error).__name__)
        crisis = storage_down_reply(settings, message.text)
        raise ApiError(503, "storage_unavailable", crisis or UNSAVED_RETRY) from error
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
