"""Pages: Jinja2 templates with the signed-in viewer, the CSRF token and the app's prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from actions.exercises import EXERCISES
from bot.review import when
from bot.web import PREFIX
from bot.web.auth import Viewer

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["when"] = when
# An entry's exercise by the title the client chose it by in the chat ("Five senses").
TITLES = {exercise.name: exercise.title for exercise in EXERCISES.values()}
TEMPLATES.env.filters["title"] = lambda name: TITLES.get(name, name.replace("_", " "))


def sentence(problem: Exception) -> str:
    """An error's message as a sentence for a page: "There is no X."."""
    text = str(problem)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


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
