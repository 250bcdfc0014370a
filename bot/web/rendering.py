"""Pages: Jinja2 templates with the signed-in viewer, the CSRF token and the app's prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.review import when
from bot.web.auth import Viewer

PREFIX = "/app"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["when"] = when


def csrf_token(request: Request) -> str:
    """The token every form carries (asgi-csrf puts a getter in the ASGI scope)."""
    return request.scope["csrftoken"]()


def page(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"viewer": viewer, "csrf": csrf_token(request), "app": PREFIX, **context},
        status_code=status_code,
    )
