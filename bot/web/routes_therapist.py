"""The therapist's pages: their clients only. Another therapist's client is 404, as is a
client nobody has, so the pages never confirm who else is enrolled."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.escalation.reply import PLAN_PARTS
from bot.readiness import GROWTH_SETTINGS
from bot.review import (
    NotYours,
    add_note,
    clients_of,
    conversations_of,
    escalations_of,
    own_client,
    own_conversation,
    search_shared,
    transcript,
)
from bot.storage.audit import Action, audit
from bot.storage.journal import entries_for
from bot.storage.models import Client, Message, SafetyPlan
from bot.storage.ptg import ptg_trend
from bot.storage.readiness import set_growth_setting, snapshots_for
from bot.web import PREFIX
from bot.web.auth import Db, NotFound, Viewer, require
from bot.web.charts import DOMAIN_LABELS, trend_svg
from bot.web.exports import transcript_csv, transcript_pdf
from bot.web.rendering import page

router = APIRouter()
AsTherapist = Annotated[Viewer, Depends(require("therapist"))]


def _own(db: Db, viewer: Viewer, client_id: str) -> Client:
    try:
        return own_client(db, viewer.therapist_id or -1, client_id)
    except NotYours as missing:
        raise NotFound from missing


@router.get("/clients", response_class=HTMLResponse)
def clients(request: Request, db: Db, viewer: AsTherapist) -> Response:
    return page(
        request, "therapist/clients.html", viewer, clients=clients_of(db, viewer.therapist_id or -1)
    )


@router.get("/clients/{client_id}", response_class=HTMLResponse)
def client_page(request: Request, db: Db, viewer: AsTherapist, client_id: str) -> Response:
    client = _own(db, viewer, client_id)
    audit(db, viewer.actor, viewer.role, "client.view", f"client:{client.id}")
    db.commit()
    return page(
        request,
        "therapist/client.html",
        viewer,
        client=client,
        conversations=conversations_of(db, client.id),
        # The page shows a private entry's exercise and date only.
        entries=entries_for(db, client.id, newest_first=True),
        escalations=escalations_of(db, client.id),
        snapshots=list(reversed(snapshots_for(db, client.id)))[:20],
        growth_settings=GROWTH_SETTINGS,
        checkins=ptg_trend(db, client.id),
        labels=DOMAIN_LABELS,
        chart=f"{PREFIX}/clients/{client.id}/trend.svg",
        plan=db.get(SafetyPlan, client.id),
        parts=PLAN_PARTS,
    )


@router.get("/clients/{client_id}/trend.svg")
def client_trend(db: Db, viewer: AsTherapist, client_id: str) -> Response:
    client = _own(db, viewer, client_id)
    return Response(
        trend_svg(ptg_trend(db, client.id)),
        media_type="image/svg+xml",
        headers={"Cache-Control": "no-store"},
    )


@router.post("/clients/{client_id}/growth")
def growth(
    db: Db, viewer: AsTherapist, client_id: str, setting: Annotated[str, Form()]
) -> Response:
    client = _own(db, viewer, client_id)
    if setting not in GROWTH_SETTINGS:
        raise NotFound
    set_growth_setting(db, client.id, setting)
    audit(db, viewer.actor, viewer.role, "growth.set", f"client:{client.id}", {"setting": setting})
    db.commit()
    return RedirectResponse(f"{PREFIX}/clients/{client.id}#growth", status_code=303)


def _transcript(db: Db, viewer: Viewer, client_id: str, conversation_id: int):  # type: ignore[no-untyped-def]
    client = _own(db, viewer, client_id)
    try:
        conversation = own_conversation(db, client, conversation_id)
    except NotYours as missing:
        raise NotFound from missing
    return client, conversation, transcript(db, client, conversation)


@router.get("/clients/{client_id}/conversations/{conversation_id}", response_class=HTMLResponse)
def conversation_page(
    request: Request, db: Db, viewer: AsTherapist, client_id: str, conversation_id: int
) -> Response:
    client, conversation, lines = _transcript(db, viewer, client_id, conversation_id)
    audit(
        db,
        viewer.actor,
        viewer.role,
        "transcript.view",
        f"conversation:{conversation.id}",
        {"client": client.id},
    )
    db.commit()
    return page(
        request,
        "therapist/transcript.html",
        viewer,
        client=client,
        conversation=conversation,
        lines=lines,
    )


@router.post("/clients/{client_id}/messages/{message_id}/notes")
def note(
    db: Db, viewer: AsTherapist, client_id: str, message_id: int, text: Annotated[str, Form()]
) -> Response:
    client = _own(db, viewer, client_id)
    if not text.strip():
        raise NotFound
    try:
        added = add_note(db, client, message_id, viewer.email, text)
    except NotYours as missing:
        raise NotFound from missing
    audit(db, viewer.actor, viewer.role, "note.add", f"message:{message_id}", {"client": client.id})
    db.commit()
    conversation_id = db.get(Message, added.message_id).conversation_id
    return RedirectResponse(
        f"{PREFIX}/clients/{client.id}/conversations/{conversation_id}#m{message_id}",
        status_code=303,
    )


@router.get("/clients/{client_id}/conversations/{conversation_id}/transcript.{kind}")
def conversation_download(
    db: Db, viewer: AsTherapist, client_id: str, conversation_id: int, kind: str
) -> Response:
    """The transcript as CSV or PDF (bot/web/exports.py), as the page shows it."""
    if kind not in ("csv", "pdf"):
        raise NotFound
    client, conversation, lines = _transcript(db, viewer, client_id, conversation_id)
    action: Action = "export.csv" if kind == "csv" else "export.pdf"
    audit(
        db,
        viewer.actor,
        viewer.role,
        action,
        f"conversation:{conversation.id}",
        {"client": client.id},
    )
    db.commit()
    if kind == "csv":
        body, media_type = transcript_csv(lines).encode(), "text/csv; charset=utf-8"
    else:
        body, media_type = transcript_pdf(client, conversation, lines), "application/pdf"
    return Response(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="transcript-{conversation.id}.{kind}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/search", response_class=HTMLResponse)
def search_form(request: Request, viewer: AsTherapist) -> Response:
    return page(request, "therapist/search.html", viewer, q="", hits=None)


# A POST, so the words searched for stay out of URLs and access logs.
@router.post("/search", response_class=HTMLResponse)
def search(
    request: Request, db: Db, viewer: AsTherapist, q: Annotated[str, Form()] = ""
) -> Response:
    hits = search_shared(db, viewer.therapist_id or -1, q)
    audit(db, viewer.actor, viewer.role, "search", "shared-entries", {"hits": len(hits)})
    db.commit()
    return page(request, "therapist/search.html", viewer, q=q, hits=hits)
