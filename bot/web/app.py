"""The web app, mounted by the entry point under /app (bot/api/app.py).

CSRF: asgi-csrf wraps the whole app; every form carries its token (double-submit, signed with
REFLECT_SECRET_KEY, or in development with a secret kept in var_dir). Every response carries a
strict Content-Security-Policy: scripts and styles come from /app/static only.
"""

from __future__ import annotations

from pathlib import Path

from asgi_csrf import asgi_csrf
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from limits.storage import Storage
from starlette.types import ASGIApp, Scope, Send

from bot.private_files import kept_secret
from bot.ratelimit import RateLimiter
from bot.settings import Settings
from bot.web import (
    PREFIX,
    routes_account,
    routes_admin,
    routes_client,
    routes_clinician,
    routes_therapist,
)
from bot.web.auth import Forbidden, LoginLimiter, NotFound, SignInRequired
from bot.web.rendering import TEMPLATES

STATIC = Path(__file__).parent / "static"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; script-src 'self'; style-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _error_page(request: Request, status_code: int, title: str, text: str) -> Response:
    return TEMPLATES.TemplateResponse(
        request,
        "error.html",
        {"viewer": None, "csrf": "", "app": PREFIX, "title": title, "text": text},
        status_code=status_code,
    )


async def _csrf_failed(_scope: Scope, send: Send, _reason: object) -> None:
    body = (
        b"This form has expired or came from another site. Go back, reload the page and try again."
    )
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_web_app(settings: Settings, rate_limiter: RateLimiter, limits: Storage) -> ASGIApp:
    """The app to mount at /app. `rate_limiter` is the entry point's, so a client's chat
    messages count against one limit, whichever way they come in; failed sign-ins are counted
    in `limits`, the same storage."""
    web = FastAPI(title="Reflect web app", docs_url=None, redoc_url=None, openapi_url=None)
    web.state.settings = settings
    web.state.rate_limiter = rate_limiter
    web.state.login_limiter = LoginLimiter(settings.login_rate_limit, limits)
    for routes in (routes_account, routes_client, routes_therapist, routes_clinician, routes_admin):
        web.include_router(routes.router)
    web.mount("/static", StaticFiles(directory=STATIC), name="static")

    @web.exception_handler(SignInRequired)
    def sign_in(_request: Request, _problem: SignInRequired) -> Response:
        return RedirectResponse(PREFIX + "/login", status_code=303)

    @web.exception_handler(Forbidden)
    def forbidden(request: Request, _problem: Forbidden) -> Response:
        return _error_page(request, 403, "Not for your role", "Your account can't open this page.")

    @web.exception_handler(NotFound)
    def not_found(request: Request, _problem: NotFound) -> Response:
        return _error_page(request, 404, "Not found", "There is nothing here for you.")

    @web.exception_handler(404)
    def no_route(request: Request, _problem: Exception) -> Response:
        return _error_page(request, 404, "Not found", "There is nothing here for you.")

    @web.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.update(HEADERS)
        if isinstance(response, HTMLResponse) or response.media_type == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    secret = settings.secret_key or kept_secret(settings.var_dir, "web-secret-key")
    return asgi_csrf(
        web,
        signing_secret=secret,
        cookie_path=PREFIX,
        cookie_secure=True,
        cookie_samesite="Strict",
        # A cross-site form sends no SameSite=Strict cookie, and asgi-csrf lets a request
        # without cookies through: sign-in is checked anyway (login CSRF).
        always_protect={PREFIX + "/login"},
        send_csrf_failed=_csrf_failed,
    )
