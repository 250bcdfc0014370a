"""Live updates as server-sent events: new messages of a chat, pushed as they are stored.

The stream polls the database (every POLL_S seconds), so it works the same with several
entry-point processes. It ends after REFLECT_STREAM_LIFETIME_S; EventSource then reconnects by
itself, sending Last-Event-ID, so the sign-in is checked again and the stream goes on from there.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bot.api.deps import new_session
from bot.settings import Settings
from bot.storage.models import Message

POLL_S = 0.5
# A comment line now and then, so proxies keep the connection open.
KEEPALIVE_S = 15.0
SENDERS = {"client": "You", "bot": "Reflect", "clinician": "Clinician"}

Fetch = Callable[[Session, int], list[Message]]


def _start(request: Request, after: int) -> int:
    last = request.headers.get("last-event-id", "")
    return max(after, int(last)) if last.isdigit() else after


def message_stream(
    request: Request, settings: Settings, fetch: Fetch, after: int
) -> StreamingResponse:
    """Each message `fetch(session, after_id)` returns, as one `data:` JSON event
    {id, sender, label, text}, until the browser goes away."""

    def batch(after_id: int) -> list[dict[str, object]]:
        with new_session(settings) as session:
            return [
                {"id": m.id, "sender": m.sender, "label": SENDERS[m.sender], "text": m.text}
                for m in fetch(session, after_id)
            ]

    async def events() -> AsyncIterator[str]:
        last = _start(request, after)
        quiet = 0.0
        ends = asyncio.get_running_loop().time() + settings.stream_lifetime_s
        while asyncio.get_running_loop().time() < ends and not await request.is_disconnected():
            for message in await run_in_threadpool(batch, last):
                last = int(message["id"])  # type: ignore[call-overload]
                yield f"id: {last}\ndata: {json.dumps(message)}\n\n"
                quiet = 0.0
            await asyncio.sleep(POLL_S)
            quiet += POLL_S
            if quiet >= KEEPALIVE_S:
                yield ": keep-alive\n\n"
                quiet = 0.0

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
