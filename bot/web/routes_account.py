"""Signing in and out, accepting an invitation, and each role's home page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.storage.accounts import AccountError, enrolment_locale
from bot.storage.users import accept_invite, end_session, open_invite, start_session, user_by_email
from bot.web import PREFIX
from bot.web.auth import (
    COOKIE,
    CSRF_COOKIE,
    CurrentSettings,
    Db,
    Forbidden,
    NotFound,
    Viewer,
    signed_in,
)
from bot.web.passwords import WeakPassword, hash_password, password_matches
from bot.web.rendering import page, sentence

router = APIRouter()

HOME = {
    "client": "/chat",
    "therapist": "/clients",
    "clinician": "/escalations",
    "admin": "/admin/audit",
}
# Anyone may open these: the test of the route table knows them by this list.
PUBLIC = ("/login", "/invite/{token}", "/logout")
# Any signed-in role may open this: it sends each to their home page.
ANY_ROLE = ("/",)


def signed_in_response(
    request: Request, settings: CurrentSettings, token: str, to: str
) -> Response:
    response = RedirectResponse(PREFIX + to, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_hours * 3600),
        path=PREFIX,
        secure=True,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/", response_class=HTMLResponse)
def home(viewer: Annotated[Viewer, Depends(signed_in)]) -> Response:
    return RedirectResponse(PREFIX + HOME[viewer.role], status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return page(request, "login.html", None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    limiter = request.app.state.login_limiter
    ip = request.client.host if request.client else "unknown"
    if limiter.blocked(email, ip):
        return page(
            request,
            "login.html",
            None,
            status_code=429,
            error="Too many attempts. Please wait a minute and try again.",
            email=email,
        )
    user = user_by_email(db, email)
    # Checked even for an unknown email, so the time taken does not tell who has an account.
    matches = password_matches(user.password_hash if user else None, password)
    if user is None or not matches:
        limiter.failed(email, ip)
        return page(
            request,
            "login.html",
            None,
            status_code=401,
            error="That email and password don't match an account.",
            email=email,
        )
    token = start_session(db, user, settings.session_hours)
    db.commit()
    return signed_in_response(request, settings, token, HOME[user.role])


@router.post("/logout")
def logout(request: Request, db: Db) -> Response:
    end_session(db, request.cookies.get(COOKIE, ""))
    db.commit()
    response = RedirectResponse(PREFIX + "/login", status_code=303)
    response.delete_cookie(COOKIE, path=PREFIX, secure=True, httponly=True, samesite="strict")
    return response


@router.get("/invite/{token}", response_class=HTMLResponse)
def invite_form(request: Request, db: Db, token: str) -> Response:
    invite = open_invite(db, token)
    if invite is None:
        raise NotFound
    return page(request, "invite.html", None, invite=invite, token=token)


@router.post("/invite/{token}", response_class=HTMLResponse)
def accept(
    request: Request,
    db: Db,
    settings: CurrentSettings,
    token: str,
    password: Annotated[str, Form()],
    confirm: Annotated[str, Form()],
    consent: Annotated[str, Form()] = "",
) -> Response:
    if CSRF_COOKIE not in request.cookies:
        # asgi-csrf checks no token on a request without cookies; a form posted from another
        # site has none (all cookies here are SameSite=Strict): refused, as a login CSRF.
        raise Forbidden
    invite = open_invite(db, token)
    if invite is None:
        raise NotFound
    error = None
    if invite.role == "client" and consent != "yes":
        error = "Please read what your therapist will see, and tick the box if you agree."
    elif password != confirm:
        error = "The two passwords are not the same."
    else:
        try:
            password_hash = hash_password(password)
            locale = enrolment_locale(settings.config_path(settings.crisis_resources_file), None)
            user = accept_invite(db, invite, password_hash, locale)
        except (WeakPassword, AccountError) as problem:
            error = sentence(problem)
    if error is not None:
        return page(
            request, "invite.html", None, status_code=422, invite=invite, token=token, error=error
        )
    session_token = start_session(db, user, settings.session_hours)
    db.commit()
    return signed_in_response(request, settings, session_token, HOME[user.role])
