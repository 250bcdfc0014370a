"""The web app's defences: CSRF tokens, the session cookie, sign-in limits, session ends,
password storage and the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.api.app import create_app
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import SafetyPlan, User, WebSession, utcnow
from bot.storage.users import create_invite
from bot.web.auth import COOKIE
from tests.web.conftest import PASSWORD, Account, Browser, sign_in

PLAN = {"warning_signs": "I stop answering messages", "coping": "a long walk"}


def _session_cookie(response) -> str:  # type: ignore[no-untyped-def]
    (cookie,) = [c for c in response.headers.get_list("set-cookie") if c.startswith(COOKIE + "=")]
    return cookie


def _plan(db_url: str, client_id: str | None) -> SafetyPlan | None:
    with session_scope(db_url) as session:
        return session.get(SafetyPlan, client_id)


def _chat_with(browser: Callable[[], Browser], token: str):  # type: ignore[no-untyped-def]
    return browser().http.get("/app/chat", headers={"cookie": f"{COOKIE}={token}"})


def test_form_without_csrf_token_is_refused_and_saves_nothing(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client = account("client@clinic.example", "client")
    visitor = sign_in(browser(), client)
    response = visitor.http.post("/app/safety-plan", data=PLAN)
    assert response.status_code == 403
    assert _plan(db_url, client.client_id) is None


def test_form_with_wrong_csrf_token_is_refused_and_saves_nothing(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client = account("client@clinic.example", "client")
    visitor = sign_in(browser(), client)
    response = visitor.http.post("/app/safety-plan", data={"csrftoken": "forged", **PLAN})
    assert response.status_code == 403
    assert _plan(db_url, client.client_id) is None


def test_the_same_form_with_its_token_is_saved(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client = account("client@clinic.example", "client")
    visitor = sign_in(browser(), client)
    assert visitor.post("/app/safety-plan", PLAN).status_code == 303
    plan = _plan(db_url, client.client_id)
    assert plan is not None and plan.coping == "a long walk"


def test_login_form_without_csrf_token_from_a_cookieless_browser_is_refused(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    """A cross-site form sends no SameSite=Strict cookie, so the token check must not rely on
    one: otherwise another site can sign the visitor in to an account it chose (login CSRF)."""
    client = account("client@clinic.example", "client")
    forged = browser().http.post("/app/login", data={"email": client.email, "password": PASSWORD})
    assert forged.status_code == 403
    assert COOKIE not in forged.headers.get("set-cookie", "")


def test_session_cookie_is_secure_httponly_and_samesite_strict(
    browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    visitor = browser()
    visitor.get("/app/login")
    response = visitor.post(
        "/app/login", {"email": account("c@clinic.example", "client").email, "password": PASSWORD}
    )
    attributes = [part.strip().lower() for part in _session_cookie(response).split(";")]
    assert "secure" in attributes
    assert "httponly" in attributes
    assert "samesite=strict" in attributes


def test_wrong_password_gives_401_and_no_session_cookie(
    browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client = account("client@clinic.example", "client")
    visitor = browser()
    visitor.get("/app/login")
    response = visitor.post("/app/login", {"email": client.email, "password": "not the password"})
    assert response.status_code == 401
    assert not any(c.startswith(COOKIE) for c in response.headers.get_list("set-cookie"))
    assert visitor.http.get("/app/chat").headers["location"] == "/app/login"


@pytest.fixture
def strict_app_browser(tmp_path: Path, db_url: str) -> Iterator[Browser]:
    app = create_app(
        Settings(var_dir=tmp_path / "var", database_url=db_url, login_rate_limit="3/minute")
    )
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as http:
        yield Browser(http)


def test_sign_in_attempts_over_the_rate_get_429_even_with_the_right_password(
    strict_app_browser: Browser, account: Callable[..., Account]
) -> None:
    client = account("client@clinic.example", "client")
    visitor = strict_app_browser
    visitor.get("/app/login")
    for _ in range(3):
        wrong = visitor.post("/app/login", {"email": client.email, "password": "wrong guess!"})
        assert wrong.status_code == 401
    right = visitor.post("/app/login", {"email": client.email, "password": PASSWORD})
    assert right.status_code == 429
    assert not any(c.startswith(COOKIE) for c in right.headers.get_list("set-cookie"))


def test_signing_out_ends_the_session_for_the_old_cookie(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    visitor = sign_in(browser(), account("client@clinic.example", "client"))
    token = visitor.http.cookies[COOKIE]
    assert _chat_with(browser, token).status_code == 200
    assert visitor.post("/app/logout").status_code == 303
    response = _chat_with(browser, token)
    assert response.status_code == 303
    assert response.headers["location"] == "/app/login"
    with session_scope(db_url) as session:
        assert session.scalars(select(WebSession)).all() == []


def test_expired_session_is_refused(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    visitor = sign_in(browser(), account("client@clinic.example", "client"))
    assert visitor.get("/app/chat").status_code == 200
    with session_scope(db_url) as session:
        (row,) = session.scalars(select(WebSession))
        row.expires_at = utcnow() - timedelta(minutes=1)
    response = visitor.get("/app/chat")
    assert response.status_code == 303
    assert response.headers["location"] == "/app/login"


def test_password_set_through_an_invite_is_stored_as_argon2id(
    db_url: str, browser: Callable[[], Browser]
) -> None:
    with session_scope(db_url) as session:
        token = create_invite(session, "new@clinic.example", "New", "clinician")
    visitor = browser()
    visitor.get(f"/app/invite/{token}")
    chosen = "correct horse battery staple"
    response = visitor.post(f"/app/invite/{token}", {"password": chosen, "confirm": chosen})
    assert response.status_code == 303
    with session_scope(db_url) as session:
        (user,) = session.scalars(select(User).where(User.email == "new@clinic.example"))
        stored = user.password_hash
    assert stored.startswith("$argon2id$")
    assert chosen not in stored


def test_pages_carry_a_content_security_policy(
    browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    visitor = browser()
    login = visitor.get("/app/login")
    sign_in(visitor, account("client@clinic.example", "client"))
    chat = visitor.get("/app/chat")
    for response in (login, chat):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy


def test_accepting_an_invitation_from_a_cookieless_cross_site_form_is_refused(
    db_url: str, browser: Callable[[], Browser]
) -> None:
    from bot.storage.users import create_invite

    with session_scope(db_url) as session:
        token = create_invite(session, "new@clinic.example", "New", "clinician")
    visitor = browser()
    form = {"password": "a long enough password", "confirm": "a long enough password"}
    assert visitor.http.post(f"/app/invite/{token}", data=form).status_code == 403
    assert visitor.get(f"/app/invite/{token}").status_code == 200  # the page sets the cookie
    assert visitor.post(f"/app/invite/{token}", form).status_code == 303


def test_the_console_takes_no_advice_or_error_from_the_address(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    from tests.web.conftest import seed_history

    client = account("client@example.org", "client")
    history = seed_history(db_url, client.client_id or "")
    console = sign_in(browser(), account("c@clinic.example", "clinician"))
    page = console.get(
        f"/app/escalations/{history.escalation_id}?error=Call+this+number&advice=x&status_code=99"
    )
    assert page.status_code == 200
    assert "Call this number" not in page.text
