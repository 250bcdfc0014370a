"""Password hashes: argon2id through argon2-cffi, with its default (RFC 9106) parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
_HASHER = PasswordHasher()
# Verified against when an email is unknown, so both cases take the same time.
_NOBODY = _HASHER.hash("no account has this password")


class WeakPassword(ValueError):
    """A password too short to keep."""


def hash_password(password: str) -> str:
    """The argon2id hash to store; raises WeakPassword below MIN_LENGTH characters."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """Whether `password` is the one `stored` was made from; an account without a password
    (None) matches nothing, after the same work."""
    try:
        return _HASHER.verify(stored or _NOBODY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
