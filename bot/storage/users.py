"""Web accounts: users with a role, invitations, and signed-in sessions.

Tokens (session cookies, invite links) are random and stored only as SHA-256 hashes, as client
access tokens are (bot/storage/accounts.py). Passwords are argon2 hashes (bot/web/passwords.py).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.storage.accounts import AccountError, add_client, add_therapist
from bot.storage.conversations import as_utc
from bot.storage.models import Invite, Therapist, User, WebSession, utcnow

Role = Literal["client", "therapist", "clinician", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
INVITE_DAYS = 14


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_new_user(session: Session, email: str, role: str) -> str:
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if "@" not in email:
        raise AccountError(f"{email!r} is not an email address")
    if session.scalars(select(User).where(User.email == email)).first():
        raise AccountError(f"an account with email {email} exists already")
    return email


def add_user(
    session: Session,
    email: str,
    name: str,
    role: Role,
    password_hash: str | None,
    *,
    therapist_id: int | None = None,
    share_by_default: bool = False,
    locale: str = "US",
) -> User:
    """Makes an account. A therapist also gets a Therapist record, and a client a Client
    (enrolled with `therapist_id`, sharing and locale), so the chat, the CLI and the web app
    see one person. Raises AccountError for a taken email or an unknown role."""
    email = _check_new_user(session, email, role)
    user = User(email=email, name=name, role=role, password_hash=password_hash)
    if role == "therapist":
        user.therapist_id = add_therapist(session, name, email).id
    elif role == "client":
        client, _token = add_client(
            session,
            name,
            therapist_id=therapist_id,
            share_by_default=share_by_default,
            locale=locale,
        )
        user.client_id = client.id
    session.add(user)
    session.flush()
    return user


def user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())).first()


def therapist_user(session: Session, therapist_id: int) -> User | None:
    return session.scalars(select(User).where(User.therapist_id == therapist_id)).first()


def create_invite(
    session: Session,
    email: str,
    name: str,
    role: Role,
    *,
    therapist_id: int | None = None,
    share_by_default: bool = False,
) -> str:
    """An invitation valid for INVITE_DAYS; returns the token for the link (shown once).
    A client's invite names an existing therapist, or none."""
    email = _check_new_user(session, email, role)
    if therapist_id is not None and session.get(Therapist, therapist_id) is None:
        raise AccountError(f"there is no therapist {therapist_id}")
    token = secrets.token_urlsafe(24)
    session.add(
        Invite(
            token_hash=token_hash(token),
            email=email,
            name=name,
            role=role,
            therapist_id=therapist_id if role == "client" else None,
            share_by_default=share_by_default,
            expires_at=utcnow() + timedelta(days=INVITE_DAYS),
        )
    )
    session.flush()
    return token


def open_invite(session: Session, token: str) -> Invite | None:
    """The unused, unexpired invite the token belongs to, or None."""
    invite = session.get(Invite, token_hash(token))
    if invite is None or invite.used_at is not None or as_utc(invite.expires_at) < utcnow():
        return None
    return invite


def accept_invite(session: Session, invite: Invite, password_hash: str, locale: str) -> User:
    """Makes the invited account; the invite cannot be used again."""
    user = add_user(
        session,
        invite.email,
        invite.name,
        invite.role,  # type: ignore[arg-type]
        password_hash,
        therapist_id=invite.therapist_id,
        share_by_default=invite.share_by_default,
        locale=locale,
    )
    invite.used_at = utcnow()
    return user


def start_session(session: Session, user: User, hours: float) -> str:
    """A new signed-in session; returns the cookie's token."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    session.flush()
    return token


def session_user(session: Session, token: str, now: datetime | None = None) -> User | None:
    """The user the cookie's token signs in, if the session exists and has not expired."""
    row = session.get(WebSession, token_hash(token)) if token else None
    if row is None or as_utc(row.expires_at) < (now or utcnow()):
        return None
    return session.get(User, row.user_id)


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def end_all_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
