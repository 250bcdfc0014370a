"""The web app in process (FastAPI's TestClient over HTTPS, so Secure cookies are sent), on a
real SQLite file, with one signed-in browser per role."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.users import Role, add_user
from bot.web.passwords import hash_password

PASSWORD = "a long enough password"
# argon2 is slow on purpose: one hash for every account the tests make.
PASSWORD_HASH = hash_password(PASSWORD)
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


@dataclass
class Browser:
    """A TestClient with its own cookies, and the CSRF token of the last page it read."""

    http: TestClient
    csrf: str = ""

    def get(self, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
        response = self.http.get(path, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
        if not self.csrf:
            self.get("/app/login")
        response = self.http.post(path, data={"csrftoken": self.csrf, **(data or {})}, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response


@pytest.fixture
def web_settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(
        var_dir=tmp_path / "var",
        database_url=db_url,
        login_rate_limit="50/minute",
        stream_lifetime_s=0.3,
    )


@pytest.fixture
def browser(web_settings: Settings) -> Iterator[Callable[[], Browser]]:
    """Makes browsers on one app; each has its own cookies."""
    app = create_app(web_settings)
    made: list[TestClient] = []

    def make() -> Browser:
        http = TestClient(app, base_url="https://testserver", follow_redirects=False)
        made.append(http)
        return Browser(http)

    yield make
    for http in made:
        http.close()


@dataclass(frozen=True)
class Account:
    email: str
    role: Role
    client_id: str | None = None
    therapist_id: int | None = None


@pytest.fixture
def account(db_url: str) -> Callable[..., Account]:
    """Makes an account with PASSWORD; a client may name their therapist's id."""

    def make(
        email: str, role: Role, therapist_id: int | None = None, share: bool = False
    ) -> Account:
        with session_scope(db_url) as session:
            user = add_user(
                session,
                email,
                email.split("@")[0].capitalize(),
                role,
                PASSWORD_HASH,
                therapist_id=therapist_id,
                share_by_default=share,
            )
            return Account(user.email, role, user.client_id, user.therapist_id)

    return make


def sign_in(browser: Browser, account: Account) -> Browser:
    browser.get("/app/login")
    response = browser.post("/app/login", {"email": account.email, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return browser


@dataclass(frozen=True)
class History:
    conversation_id: int
    message_id: int
    entry_id: int
    escalation_id: int


def seed_history(db_url: str, client_id: str, private_answer: str = "the blue mug") -> History:
    """A conversation with a grounding entry kept private, and an escalation on a message."""
    from bot.storage.conversations import current_conversation, record
    from bot.storage.journal import Answer, save_entry
    from bot.storage.models import Escalation

    with session_scope(db_url) as session:
        conversation = current_conversation(session, client_id, idle_minutes=60)
        asked = record(session, conversation, "bot", "What is one thing you can see?")
        answer = record(session, conversation, "client", private_answer, reply_to=asked)
        record(session, conversation, "bot", f"You noticed: {private_answer}.", reply_to=answer)
        entry = save_entry(
            session,
            client_id,
            "grounding",
            [Answer("What is one thing you can see?", private_answer)],
            completed=True,
            shared=False,
        )
        alarm = record(session, conversation, "client", "i don't want to be here anymore")
        alarm.risk_level, alarm.risk_signals = "crisis", ["passive_ideation"]
        escalation = Escalation(
            client_id=client_id,
            conversation_id=conversation.id,
            message_id=alarm.id,
            reason="crisis",
            risk_level="crisis",
            risk_signals=["passive_ideation"],
        )
        session.add(escalation)
        session.flush()
        return History(conversation.id, answer.id, entry.id, escalation.id)
