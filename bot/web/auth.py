"""Who is signed in, and what their role lets them open.

Every route of the web app depends on `require(...)` with the roles allowed there; the route
table test (tests/web/test_roles.py) checks each route against each role. The session cookie
holds a random token (the database keeps its hash) and is Secure, HttpOnly and
SameSite=Strict. Failed sign-ins are limited per email and per IP address with the `limits`
library (REFLECT_LOGIN_RATE_LIMIT).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from limits import parse as parse_rate
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from bot.api.deps import get_session, get_settings
from bot.settings import Settings
from bot.storage.models import User
from bot.storage.users import Role, session_user

COOKIE = "reflect_session"
# asgi-csrf's cookie (its default name), set with the first page that has a form.
CSRF_COOKIE = "csrftoken"


class SignInRequired(Exception):
    """No valid session: the page answers with the sign-in form (bot/web/app.py)."""


class Forbidden(Exception):
    """Signed in, but the role may not open this route: 403."""


class NotFound(Exception):
    """Not there, or not this person's to see: 404, the same for both."""


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, detached from the database session."""

    id: int
    email: str
    name: str
    role: Role
    client_id: str | None
    therapist_id: int | None

    @property
    def actor(self) -> str:
        """Who did it, for the audit trail: staff by email, a client by id only, so the trail
        keeps no client's email after their account is deleted."""
        return f"client:{self.client_id}" if self.role == "client" else self.email

    @classmethod
    def of(cls, user: User) -> Viewer:
        return cls(user.id, user.email, user.name, user.role, user.client_id, user.therapist_id)


# The entry point's: a session per request (routes commit what must be durable), and the
# settings of the app that serves it.
Db = Annotated[Session, Depends(get_session)]
CurrentSettings = Annotated[Settings, Depends(get_settings)]


def signed_in(request: Request, db: Db) -> Viewer:
    user = session_user(db, request.cookies.get(COOKIE, ""))
    if user is None:
        raise SignInRequired
    return Viewer.of(user)


def require(*roles: Role) -> Callable[..., Viewer]:
    """A dependency that lets in the signed-in users with one of `roles`; its `roles`
    attribute is what the route table test reads."""

    def allowed(viewer: Annotated[Viewer, Depends(signed_in)]) -> Viewer:
        if viewer.role not in roles:
            raise Forbidden
        return viewer

    allowed.roles = roles  # type: ignore[attr-defined]
    return allowed


class LoginLimiter:
    """Failed sign-ins per email and per IP address, in a moving window: once either is over
    the rate, sign-in is refused (even with the right password) until the window moves on."""

    def __init__(self, rate: str, storage: Storage) -> None:
        self._rate = parse_rate(rate)
        # The limiter holds its storage weakly: this keeps it alive.
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(self._storage)

    def _keys(self, email: str, ip: str) -> tuple[tuple[str, str], ...]:
        return (("email", email.strip().lower()), ("ip", ip))

    def blocked(self, email: str, ip: str) -> bool:
        return not all(self._limiter.test(self._rate, *key) for key in self._keys(email, ip))

    def failed(self, email: str, ip: str) -> None:
        for key in self._keys(email, ip):
            self._limiter.hit(self._rate, *key)
