"""`reflect admin`: web accounts and invitations, and the first admin of a development stack."""

from __future__ import annotations

import argparse
import secrets

from sqlalchemy import select

from bot.private_files import kept_secret
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.models import User
from bot.storage.schema import ensure_schema
from bot.storage.users import ROLES, add_user, create_invite, user_by_email
from bot.web import PREFIX, invite_link
from bot.web.passwords import hash_password, password_matches

FIRST_ADMIN = "admin@reflect.local"


def cmd_add_user(args: argparse.Namespace) -> int:
    """Makes an account with a random password, printed once."""
    settings = Settings.from_env()
    ensure_schema(settings)
    password = secrets.token_urlsafe(12)
    with session_scope(settings.app_database_url) as session:
        user = add_user(
            session,
            args.email,
            args.name,
            args.role,
            hash_password(password),
            therapist_id=args.therapist,
            share_by_default=args.share,
        )
        print(f"{user.role} {user.email} added; sign in at {settings.web_url}{PREFIX}/login")
        print(f"password (shown once): {password}")
    return 0


def cmd_invite(args: argparse.Namespace) -> int:
    """Prints an invitation link: the person chooses their own password (and a client reads
    and accepts the consent text)."""
    settings = Settings.from_env()
    ensure_schema(settings)
    with session_scope(settings.app_database_url) as session:
        token = create_invite(
            session,
            args.email,
            args.name,
            args.role,
            therapist_id=args.therapist,
            share_by_default=args.share,
        )
    print(f"invitation for {args.email} ({args.role}), valid once for 14 days:")
    print(f"  {invite_link(settings, token)}")
    return 0


def add_admin_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    admin = commands.add_parser("admin", help="web app accounts and invitations")
    actions = admin.add_subparsers(dest="admin", required=True)
    add = actions.add_parser("add-user", help="make an account; prints its password once")
    invite = actions.add_parser("invite", help="print an invitation link for a new account")
    for command, func in ((add, cmd_add_user), (invite, cmd_invite)):
        command.add_argument("--email", required=True)
        command.add_argument("--name", required=True)
        command.add_argument("--role", required=True, choices=ROLES)
        command.add_argument("--therapist", type=int, help="a client's therapist id")
        command.add_argument(
            "--share", action="store_true", help="a client's new entries are shared by default"
        )
        command.set_defaults(func=func)


def first_admin(settings: Settings) -> str:
    """The line `reflect run` prints about signing in as an admin.

    In development, an admin account FIRST_ADMIN is made on first use with a password kept in
    var_dir (0600), and the line gives both while that password still works. Elsewhere no
    account is made: the line says how to make one, if there is no admin yet.
    """
    with session_scope(settings.app_database_url) as session:
        if settings.environment != "development":
            if session.scalars(select(User).where(User.role == "admin")).first() is None:
                return "no admin yet: make one with `reflect admin add-user --role admin`"
            return "sign in with your admin account"
        password = kept_secret(settings.var_dir, "first-admin-password")
        user = user_by_email(session, FIRST_ADMIN)
        if user is None:
            add_user(session, FIRST_ADMIN, "First admin", "admin", hash_password(password))
        elif not password_matches(user.password_hash, password):
            return f"first admin: {FIRST_ADMIN} (its password was changed)"
    return f"first admin: {FIRST_ADMIN}  password: {password}"
