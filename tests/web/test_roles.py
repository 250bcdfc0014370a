"""Every route of the web app against every role: the route table is checked, not sampled.

A route lets in the roles its `require(...)` names and answers 403 to every other signed-in
role; without a session it sends the browser to sign in. A therapist gets 404 for another
therapist's client, the same as for a client nobody has.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from fastapi.routing import APIRoute

from bot.api.app import create_app
from bot.settings import Settings
from bot.storage.users import ROLES
from bot.web import PREFIX
from bot.web.routes_account import ANY_ROLE, PUBLIC
from tests.web.conftest import Account, Browser, History, seed_history, sign_in

FORM = {
    "text": "a note",
    "message_id": "m-1",
    "shared": "yes",
    "setting": "auto",
    "notes": "called them, safe with family",
    "q": "mug",
    "email": "new.person@clinic.example",
    "name": "New Person",
    "role": "clinician",
    "confirm": "no",
}


@cache
def web_routes() -> list[APIRoute]:
    app = create_app(Settings())
    (mount,) = [r for r in app.routes if getattr(r, "path", "") == PREFIX]
    web = mount.app.__wrapped__  # asgi-csrf wraps the FastAPI app with functools.wraps
    return [r for r in web.routes if isinstance(r, APIRoute)]


def allowed_roles(route: APIRoute) -> tuple[str, ...] | None:
    """The roles of the route's `require(...)`; None when it has none."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        roles = getattr(dependency.call, "roles", None)
        if roles is not None:
            return roles
        pending.extend(dependency.dependencies)
    return None


ROUTES = [(route.path, method) for route in web_routes() for method in sorted(route.methods)]


def test_every_route_names_its_roles_or_is_listed_as_open() -> None:
    for route in web_routes():
        roles = allowed_roles(route)
        assert (roles is not None) != (route.path in PUBLIC + ANY_ROLE), route.path
        assert roles is None or set(roles) <= set(ROLES)


def _url(path: str, history: History, client_id: str) -> str:
    return PREFIX + path.format(
        client_id=client_id,
        conversation_id=history.conversation_id,
        message_id=history.message_id,
        entry_id=history.entry_id,
        escalation_id=history.escalation_id,
        token="no-such-invite",
        kind="csv",
    )


def _request(browser: Browser, method: str, url: str):  # type: ignore[no-untyped-def]
    # A live stream ends after the test settings' short lifetime, so a GET reads it whole.
    return browser.get(url) if method == "GET" else browser.post(url, FORM)


def _expect(path: str, method: str, roles: tuple[str, ...] | None, role: str, response) -> None:  # type: ignore[no-untyped-def]
    where = f"{method} {path} as {role}: {response.status_code}"
    if path in PUBLIC:
        assert response.status_code not in (401, 403), where
    elif role == "anonymous":
        assert response.status_code == 303, where
        assert response.headers["location"] == f"{PREFIX}/login", where
    elif roles is None or role in roles:
        assert response.status_code not in (401, 403), (where, response.text[:300])
        assert response.headers.get("location") != f"{PREFIX}/login", where
        # No Rasa runs in process: the chat answers that the assistant is unavailable.
        unavailable = path == "/chat" and method == "POST"
        assert response.status_code < 500 or (unavailable and response.status_code == 503), where
    else:
        assert response.status_code == 403, where


@pytest.mark.parametrize(("path", "method"), ROUTES)
def test_route_answers_each_role_as_its_table_says(
    path: str,
    method: str,
    db_url: str,
    browser: Callable[[], Browser],
    account: Callable[..., Account],
) -> None:
    """Each role, and nobody signed in, against one route. The roles it lets in go last, so
    what they change (a deleted account, a resolved escalation) cannot alter the refusals."""
    therapist = account("therapist@clinic.example", "therapist")
    client = account("client@clinic.example", "client", therapist_id=therapist.therapist_id)
    accounts = {
        "clinician": account("clinician@clinic.example", "clinician"),
        "admin": account("admin@clinic.example", "admin"),
        "therapist": therapist,
        "client": client,
    }
    history = seed_history(db_url, client.client_id or "")
    (route,) = [r for r in web_routes() if r.path == path and method in r.methods]
    roles = allowed_roles(route)
    url = _url(path, history, client.client_id or "")
    order = sorted([*ROLES, "anonymous"], key=lambda r: roles is None or r in roles)
    for role in order:
        visitor = browser()
        if role != "anonymous":
            sign_in(visitor, accounts[role])
        _expect(path, method, roles, role, _request(visitor, method, url))


THERAPIST_PATHS = sorted(
    {(path, method) for path, method in ROUTES if path.startswith("/clients/{client_id}")}
)


@pytest.mark.parametrize(("path", "method"), THERAPIST_PATHS)
def test_another_therapists_client_is_not_found(
    path: str,
    method: str,
    db_url: str,
    browser: Callable[[], Browser],
    account: Callable[..., Account],
) -> None:
    mine = account("mine@clinic.example", "therapist")
    theirs = account("theirs@clinic.example", "therapist")
    client = account("client@clinic.example", "client", therapist_id=theirs.therapist_id)
    history = seed_history(db_url, client.client_id or "")
    visitor = sign_in(browser(), mine)
    response = _request(visitor, method, _url(path, history, client.client_id or ""))
    assert response.status_code == 404
    unknown = _request(visitor, method, _url(path, history, "nobody-has-this-id"))
    assert unknown.status_code == 404
    assert "passive" not in response.text and "blue mug" not in response.text
