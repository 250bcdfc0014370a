"""The on-call clinician's console: the escalation queue and one escalation's live chat.

Acknowledge, join, write, leave and resolve are the same functions as `reflect escalations`
(bot/escalation/console.py); each is written to the audit trail.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import case, select

from bot.escalation.console import escalation_by_id, join_chat, leave_chat, resolve_with_notes, say
from bot.storage.audit import audit
from bot.storage.conversations import as_utc
from bot.storage.crisis_window import crisis_window
from bot.storage.escalations import EscalationError, acknowledge
from bot.storage.models import Client, Escalation, utcnow
from bot.web import PREFIX
from bot.web.auth import CurrentSettings, Db, NotFound, Viewer, require
from bot.web.live import message_stream
from bot.web.rendering import page, sentence

router = APIRouter()
AsClinician = Annotated[Viewer, Depends(require("clinician"))]
# Open first, then acknowledged, then the resolved ones of late.
ORDER = case({"open": 0, "acknowledged": 1}, value=Escalation.state, else_=2)
RESOLVED_SHOWN = 20


def _escalation(db: Db, escalation_id: int) -> Escalation:
    try:
        return escalation_by_id(db, escalation_id)
    except EscalationError as missing:
        raise NotFound from missing


def waiting(moment) -> str:  # type: ignore[no-untyped-def]
    """How long ago, in words a glance can take: "4 min", "2 h 5 min"."""
    minutes = int((utcnow() - as_utc(moment)).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


@router.get("/escalations", response_class=HTMLResponse)
def queue(request: Request, db: Db, viewer: AsClinician) -> Response:
    active = list(
        db.scalars(
            select(Escalation)
            .where(Escalation.state != "resolved")
            .order_by(ORDER, Escalation.created_at)
        )
    )
    resolved = list(
        db.scalars(
            select(Escalation)
            .where(Escalation.state == "resolved")
            .order_by(Escalation.resolved_at.desc())
            .limit(RESOLVED_SHOWN)
        )
    )
    return page(
        request, "clinician/queue.html", viewer, active=active, resolved=resolved, waiting=waiting
    )


@router.get("/escalations/{escalation_id}", response_class=HTMLResponse)
def escalation(request: Request, db: Db, viewer: AsClinician, escalation_id: int) -> Response:
    return escalation_page(request, db, viewer, escalation_id)


def escalation_page(
    request: Request,
    db: Db,
    viewer: Viewer,
    escalation_id: int,
    status_code: int = 200,
    advice: str | None = None,
    draft: str = "",
    error: str | None = None,
) -> Response:
    """The console page; the actions' answers show it again with their advice or error."""
    escalation = _escalation(db, escalation_id)
    messages = crisis_window(db, escalation)
    audit(db, viewer.actor, viewer.role, "escalation.view", f"escalation:{escalation.id}")
    db.commit()
    return page(
        request,
        "clinician/escalation.html",
        viewer,
        status_code=status_code,
        escalation=escalation,
        client=db.get(Client, escalation.client_id),
        messages=messages,
        last_id=messages[-1].id if messages else 0,
        waiting=waiting,
        advice=advice,
        draft=draft,
        error=error,
    )


@router.get("/escalations/{escalation_id}/stream")
def escalation_stream(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    viewer: AsClinician,
    escalation_id: int,
    after: int = 0,
) -> Response:
    _escalation(db, escalation_id)

    def fetch(session, after_id):  # type: ignore[no-untyped-def]
        return crisis_window(session, session.get(Escalation, escalation_id), after_id)

    return message_stream(request, settings, fetch, after)


def _back(escalation_id: int) -> Response:
    return RedirectResponse(f"{PREFIX}/escalations/{escalation_id}", status_code=303)


def _refused(
    request: Request, db: Db, viewer: Viewer, escalation_id: int, problem: EscalationError
) -> Response:
    """The escalation's page again, saying why the action was not taken (409)."""
    db.rollback()
    return escalation_page(
        request, db, viewer, escalation_id, status_code=409, error=sentence(problem)
    )


def _act(request: Request, db: Db, viewer: Viewer, escalation_id: int, action, do) -> Response:  # type: ignore[no-untyped-def]
    _escalation(db, escalation_id)
    try:
        do()
    except EscalationError as problem:
        return _refused(request, db, viewer, escalation_id, problem)
    audit(db, viewer.actor, viewer.role, action, f"escalation:{escalation_id}")
    db.commit()
    return _back(escalation_id)


@router.post("/escalations/{escalation_id}/acknowledge")
def acknowledge_it(request: Request, db: Db, viewer: AsClinician, escalation_id: int) -> Response:
    return _act(
        request,
        db,
        viewer,
        escalation_id,
        "escalation.acknowledge",
        lambda: acknowledge(db, escalation_id, viewer.name),
    )


@router.post("/escalations/{escalation_id}/join")
def join_it(
    request: Request, db: Db, settings: CurrentSettings, viewer: AsClinician, escalation_id: int
) -> Response:
    return _act(
        request,
        db,
        viewer,
        escalation_id,
        "escalation.join",
        lambda: join_chat(settings, db, escalation_id, viewer.name),
    )


@router.post("/escalations/{escalation_id}/leave")
def leave_it(
    request: Request, db: Db, settings: CurrentSettings, viewer: AsClinician, escalation_id: int
) -> Response:
    return _act(
        request,
        db,
        viewer,
        escalation_id,
        "escalation.leave",
        lambda: leave_chat(settings, db, escalation_id),
    )


@router.post("/escalations/{escalation_id}/resolve")
def resolve_it(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    viewer: AsClinician,
    escalation_id: int,
    notes: Annotated[str, Form()] = "",
) -> Response:
    return _act(
        request,
        db,
        viewer,
        escalation_id,
        "escalation.resolve",
        lambda: resolve_with_notes(settings, db, escalation_id, notes, viewer.name),
    )


@router.post("/escalations/{escalation_id}/say")
def say_it(
    request: Request,
    db: Db,
    viewer: AsClinician,
    escalation_id: int,
    text: Annotated[str, Form()],
    anyway: Annotated[str, Form()] = "",
) -> Response:
    """Sends the words to the client; if the output rail's check finds they may read as
    dismissive, shows its advice and the draft instead, to reword or send anyway."""
    _escalation(db, escalation_id)
    if not text.strip():
        return escalation_page(
            request, db, viewer, escalation_id, status_code=422, error="The message is empty."
        )
    try:
        said = say(db, escalation_id, text.strip(), anyway=anyway == "yes")
    except EscalationError as problem:
        return _refused(request, db, viewer, escalation_id, problem)
    if said.message is None:
        return escalation_page(
            request, db, viewer, escalation_id, status_code=200, advice=said.advice, draft=text
        )
    audit(
        db,
        viewer.actor,
        viewer.role,
        "escalation.say",
        f"escalation:{escalation_id}",
        {"message": said.message.id},
    )
    db.commit()
    return _back(escalation_id)
