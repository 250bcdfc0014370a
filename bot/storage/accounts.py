"""Enrolment of therapists and clients, and the access tokens clients chat with."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.escalation.config import crisis_locales
from bot.storage.models import Client, Therapist

CLIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# Compared against when a client id is unknown; no token hashes to it.
_NOBODY = "0" * 64


class AccountError(ValueError):
    """An enrolment request that cannot be carried out as asked."""


def _new_token() -> str:
    """A random token; the prefix keeps it from starting with "-", which a CLI reads as a flag."""
    return "rt_" + secrets.token_urlsafe(24)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_therapist(session: Session, name: str, email: str) -> Therapist:
    if session.scalars(select(Therapist).where(Therapist.email == email)).first():
        raise AccountError(f"a therapist with email {email} exists already")
    therapist = Therapist(name=name, email=email)
    session.add(therapist)
    session.flush()
    return therapist


def enrolment_locale(crisis_resources: Path, locale: str | None) -> str:
    """The locale to enrol a client with: `locale` in upper case, or the crisis-lines file's
    default when None. Raises AccountError when the file has no lines for it, as the client
    would be shown another country's crisis lines."""
    default, known = crisis_locales(crisis_resources)
    code = default if locale is None else locale.strip().upper()
    if code not in known:
        raise AccountError(
            f"there are no crisis lines for locale {locale!r} in {crisis_resources} "
            f"(it has {', '.join(sorted(known))}); add the locale's lines there first"
        )
    return code


def add_client(
    session: Session,
    display_name: str,
    *,
    client_id: str | None = None,
    therapist_id: int | None = None,
    share_by_default: bool = False,
    locale: str = "US",
) -> tuple[Client, str]:
    """Creates a client and returns it with its access token, which is stored only as a hash."""
    client_id = f"c-{secrets.token_hex(4)}" if client_id is None else client_id
    if not CLIENT_ID.match(client_id):
        raise AccountError("a client id is 1-64 letters, digits, '.', '_' or '-'")
    if session.get(Client, client_id):
        raise AccountError(f"client {client_id} exists already")
    if therapist_id is not None and session.get(Therapist, therapist_id) is None:
        raise AccountError(f"there is no therapist {therapist_id}")
    token = _new_token()
    client = Client(
        id=client_id,
        display_name=display_name,
        therapist_id=therapist_id,
        share_by_default=share_by_default,
        token_hash=_hash(token),
        locale=locale.upper(),
    )
    session.add(client)
    session.flush()
    return client, token


def reissue_token(session: Session, client_id: str) -> str:
    """Replaces a client's token, for a lost one; the old token stops working."""
    client = session.get(Client, client_id)
    if client is None:
        raise AccountError(f"there is no client {client_id}")
    token = _new_token()
    client.token_hash = _hash(token)
    return token


def token_matches(client: Client | None, token: str) -> bool:
    """Whether `token` is the client's. No client matches no token, after the same work, so
    the time taken does not tell an unknown id from a wrong token."""
    expected = client.token_hash if client is not None else _NOBODY
    return hmac.compare_digest(expected, _hash(token)) and client is not None
