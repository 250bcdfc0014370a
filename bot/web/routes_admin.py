"""The admin's pages: the audit trail, and invitations for new accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from bot.storage.accounts import AccountError
from bot.storage.audit import audit, audit_trail
from bot.storage.models import Therapist
from bot.storage.users import ROLES, create_invite
from bot.web import invite_link
from bot.web.auth import CurrentSettings, Db, Viewer, require
from bot.web.rendering import page, sentence

router = APIRouter()
AsAdmin = Annotated[Viewer, Depends(require("admin"))]


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, db: Db, viewer: AsAdmin) -> Response:
    return page(request, "admin/audit.html", viewer, events=audit_trail(db))


def _invites(
    request: Request, db: Db, viewer: Viewer, status_code: int = 200, **context
) -> Response:  # type: ignore[no-untyped-def]
    therapists = list(db.scalars(select(Therapist).order_by(Therapist.name)))
    return page(
        request,
        "admin/invites.html",
        viewer,
        status_code=status_code,
        roles=ROLES,
        therapists=therapists,
        **context,
    )


@router.get("/admin/invites", response_class=HTMLResponse)
def invites(request: Request, db: Db, viewer: AsAdmin) -> Response:
    return _invites(request, db, viewer)


@router.post("/admin/invites", response_class=HTMLResponse)
def invite(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    viewer: AsAdmin,
    email: Annotated[str, Form()],
    name: Annotated[str, Form()],
    role: Annotated[str, Form()],
    therapist_id: Annotated[str, Form()] = "",
    share: Annotated[str, Form()] = "",
) -> Response:
    try:
        token = create_invite(
            db,
            email,
            name,
            role,  # type: ignore[arg-type]
            therapist_id=int(therapist_id) if therapist_id.isdigit() else None,
            share_by_default=share == "yes",
        )
    except AccountError as problem:
        return _invites(request, db, viewer, status_code=422, error=sentence(problem))
    audit(
        db,
        viewer.actor,
        viewer.role,
        "invite.create",
        f"invite:{email.strip().lower()}",
        {"role": role},
    )
    db.commit()
    return _invites(request, db, viewer, link=invite_link(settings, token), invited=email)
