"""The client's pages: chat, journal entries, safety plan, trend, export, account deletion.

The chat takes each message through bot/turn.py, the same path as POST /v1/messages: both
rails, crisis mode and the per-client rate limit apply, and clinician messages arrive live.
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.escalation.reply import PLAN_PARTS
from bot.rasa_client import BotReply
from bot.storage.audit import audit
from bot.storage.client_data import delete_account, export_client
from bot.storage.conversations import messages_after
from bot.storage.journal import entries_for, set_entry_sharing
from bot.storage.models import Client, SafetyPlan, User
from bot.storage.ptg import ptg_trend
from bot.storage.safety_plans import PARTS, replace_plan
from bot.turn import TurnRefused, take_turn
from bot.web import PREFIX
from bot.web.auth import COOKIE, CurrentSettings, Db, NotFound, Viewer, require
from bot.web.charts import DOMAIN_LABELS, trend_svg
from bot.web.live import message_stream
from bot.web.rendering import page

router = APIRouter()
AsClient = Annotated[Viewer, Depends(require("client"))]
# The chat page shows this many of the latest messages; the export has them all.
CHAT_SHOWN = 200


def _client(db: Db, viewer: Viewer) -> Client:
    client = db.get(Client, viewer.client_id)
    if client is None:
        raise NotFound
    return client


def _chat(
    request: Request,
    db: Db,
    viewer: Viewer,
    status_code: int = 200,
    replies: list[BotReply] | None = None,
    notice: str | None = None,
) -> Response:
    messages = messages_after(db, viewer.client_id or "", 0)[-CHAT_SHOWN:]
    buttons = replies[-1].buttons if replies else []
    return page(
        request,
        "client/chat.html",
        viewer,
        status_code=status_code,
        messages=messages,
        last_id=messages[-1].id if messages else 0,
        buttons=buttons,
        notice=notice,
        message_id=secrets.token_urlsafe(12),
    )


@router.get("/chat", response_class=HTMLResponse)
def chat(request: Request, db: Db, viewer: AsClient) -> Response:
    return _chat(request, db, viewer)


@router.post("/chat", response_class=HTMLResponse)
def send(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    viewer: AsClient,
    text: Annotated[str, Form()],
    message_id: Annotated[str, Form()],
) -> Response:
    """One turn. `message_id` is made with the page, so a reload that sends the form again is
    answered from what was stored, not taken as a second message."""
    if not text.strip():
        return _chat(request, db, viewer, 422, notice="The message is empty.")
    limiter = request.app.state.rate_limiter
    try:
        result = take_turn(db, settings, limiter, _client(db, viewer), text, message_id[:64])
    except TurnRefused as refused:
        status = {"message_too_large": 413, "rate_limited": 429, "assistant_unavailable": 503}
        return _chat(request, db, viewer, status[refused.code], notice=refused.detail)
    return _chat(request, db, viewer, replies=result.replies)


@router.get("/chat/stream")
def chat_stream(
    request: Request, settings: CurrentSettings, viewer: AsClient, after: int = 0
) -> Response:
    client_id = viewer.client_id or ""
    return message_stream(
        request,
        settings,
        lambda session, after_id: messages_after(session, client_id, after_id),
        after,
    )


@router.get("/entries", response_class=HTMLResponse)
def entries(request: Request, db: Db, viewer: AsClient) -> Response:
    entries = entries_for(db, viewer.client_id or "", newest_first=True)
    return page(request, "client/entries.html", viewer, entries=entries)


@router.post("/entries/{entry_id}/sharing")
def sharing(db: Db, viewer: AsClient, entry_id: int, shared: Annotated[str, Form()]) -> Response:
    try:
        set_entry_sharing(db, viewer.client_id or "", entry_id, shared == "yes")
    except LookupError as missing:
        raise NotFound from missing
    db.commit()
    return RedirectResponse(f"{PREFIX}/entries#entry-{entry_id}", status_code=303)


@router.get("/safety-plan", response_class=HTMLResponse)
def safety_plan(request: Request, db: Db, viewer: AsClient) -> Response:
    plan = db.get(SafetyPlan, viewer.client_id)
    return page(request, "client/safety_plan.html", viewer, plan=plan, parts=PLAN_PARTS)


@router.post("/safety-plan")
async def save_safety_plan(request: Request, db: Db, viewer: AsClient) -> Response:
    form = await request.form()
    replace_plan(db, viewer.client_id or "", {part: str(form.get(part, "")) for part in PARTS})
    db.commit()
    return RedirectResponse(f"{PREFIX}/safety-plan?saved=1", status_code=303)


@router.get("/trend", response_class=HTMLResponse)
def trend(request: Request, db: Db, viewer: AsClient) -> Response:
    checkins = ptg_trend(db, viewer.client_id or "")
    return page(
        request,
        "client/trend.html",
        viewer,
        checkins=checkins,
        labels=DOMAIN_LABELS,
        chart=f"{PREFIX}/trend.svg",
    )


@router.get("/trend.svg")
def trend_chart(db: Db, viewer: AsClient) -> Response:
    svg = trend_svg(ptg_trend(db, viewer.client_id or ""))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.get("/export.json")
def export(db: Db, viewer: AsClient) -> Response:
    data = export_client(db, _client(db, viewer))
    audit(db, viewer.actor, viewer.role, "export.json", f"client:{viewer.client_id}")
    db.commit()
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="reflect-export.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/account/delete", response_class=HTMLResponse)
def delete_form(request: Request, viewer: AsClient) -> Response:
    return page(request, "client/delete.html", viewer)


@router.post("/account/delete", response_class=HTMLResponse)
def delete(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    viewer: AsClient,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    if confirm.strip().lower() != "delete":
        return page(
            request,
            "client/delete.html",
            viewer,
            status_code=422,
            error='Type the word "delete" to confirm.',
        )
    user = db.get(User, viewer.id)
    kept = delete_account(db, user, settings.tracker_database_url)
    audit(
        db,
        viewer.actor,
        viewer.role,
        "account.delete",
        f"client:{viewer.client_id}",
        {"messages_kept": kept},
    )
    db.commit()
    response = page(request, "deleted.html", None, kept=kept)
    response.delete_cookie(COOKIE, path=PREFIX, secure=True, httponly=True, samesite="strict")
    return response
