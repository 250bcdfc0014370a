"""FastAPI dependencies: settings, database sessions, parsing the message, and who is asking."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from bot.api.errors import ApiError
from bot.api.schemas import MessageIn
from bot.ratelimit import RateLimiter
from bot.settings import Settings
from bot.storage.accounts import token_matches
from bot.storage.db import engine_for
from bot.storage.models import Client
from bot.turn import too_large_detail

# JSON may escape each character of the text as \uXXXX, so the body may be larger than the text.
_BODY_OVERHEAD_FACTOR = 6
_BODY_OVERHEAD_BYTES = 1024


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_rate_limiter(request: Request) -> RateLimiter:
    return request.app.state.rate_limiter


def new_session(settings: Settings) -> Session:
    """A session on the app's database; its user commits at the points that must be durable,
    and closes it (it is a context manager)."""
    return sessionmaker(engine_for(settings.app_database_url), future=True)()


def get_session(settings: Settings = Depends(get_settings)) -> Iterator[Session]:
    """A session per request, closed after the response."""
    with new_session(settings) as session:
        yield session


def too_large(limit: int) -> ApiError:
    """413 for a body too large to read at all (nothing of it is stored)."""
    return ApiError(413, "message_too_large", too_large_detail(limit, kept=False))


async def incoming_message(
    request: Request, settings: Settings = Depends(get_settings)
) -> MessageIn:
    """Reads and checks the body without ever holding more than a bounded amount of it. A text
    over max_message_bytes is let through up to max_assessed_bytes, so that it is checked for
    risk before it is refused (bot/turn.py); beyond that it is not read at all."""
    limit = max(settings.max_message_bytes, settings.max_assessed_bytes)
    cap = limit * _BODY_OVERHEAD_FACTOR + _BODY_OVERHEAD_BYTES
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large(settings.max_message_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise too_large(settings.max_message_bytes)
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {error}") from error
    try:
        message = MessageIn.parse_obj(payload)
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
        raise ApiError(
            422, "invalid_request", f"Expected a JSON object with string fields: {fields}."
        ) from error
    if not message.text.strip():
        raise ApiError(422, "empty_message", "The message is empty; there is nothing to send.")
    if len(message.text.encode("utf-8", "surrogatepass")) > limit:
        raise too_large(settings.max_message_bytes)
    return message


def client_with_token(session: Session, client_id: str, authorization: str) -> Client:
    """The enrolled client, if the bearer token is theirs; else 401 `unauthorized`, the same
    for a client id nobody has, so the answer never tells which ids are enrolled."""
    client = session.get(Client, client_id)
    scheme, _, token = authorization.partition(" ")
    matches = scheme.lower() == "bearer" and token_matches(client, token.strip())
    if client is None or not matches:
        raise ApiError(401, "unauthorized", "The access token is missing or does not match.")
    return client
