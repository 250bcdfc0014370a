"""`reflect admin` and the first admin that `reflect run` prints, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.cli_admin import FIRST_ADMIN, first_admin
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.users import open_invite, user_by_email
from bot.web.passwords import hash_password, password_matches


def test_add_user_prints_a_password_that_signs_in(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "admin",
        "add-user",
        "--role",
        "clinician",
        "--name",
        "Jo",
        "--email",
        "Jo@Clinic.example",
    ]
    assert main(args) == 0
    password = capsys.readouterr().out.split("password (shown once): ")[1].strip()
    with session_scope(db_url) as session:
        user = user_by_email(session, "jo@clinic.example")
        assert user is not None and user.role == "clinician"
        assert password_matches(user.password_hash, password)
    assert main(args) == 1  # the same email again is refused


def test_invite_prints_a_link_that_opens_the_invitation(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "admin",
                "add-user",
                "--role",
                "therapist",
                "--name",
                "Dr. R",
                "--email",
                "r@c.example",
            ]
        )
        == 0
    )
    capsys.readouterr()
    with session_scope(db_url) as session:
        therapist_id = user_by_email(session, "r@c.example").therapist_id  # type: ignore[union-attr]
    invite = ["admin", "invite", "--role", "client", "--name", "Sam", "--email", "sam@example.org"]
    assert main([*invite, "--therapist", str(therapist_id), "--share"]) == 0
    link = capsys.readouterr().out.split()[-1]
    assert "/app/invite/" in link
    with session_scope(db_url) as session:
        found = open_invite(session, link.rsplit("/", 1)[1])
        assert found is not None
        assert (found.role, found.therapist_id, found.share_by_default) == (
            "client",
            therapist_id,
            True,
        )


def test_development_makes_the_first_admin_once_and_prints_its_login(
    tmp_path: Path, db_url: str
) -> None:
    settings = Settings(var_dir=tmp_path / "var", database_url=db_url)
    line = first_admin(settings)
    assert line.startswith(f"first admin: {FIRST_ADMIN}  password: ")
    password = line.rsplit(" ", 1)[1]
    assert first_admin(settings) == line  # the same login on the next start
    with session_scope(db_url) as session:
        user = user_by_email(session, FIRST_ADMIN)
        assert user is not None and user.role == "admin"
        assert password_matches(user.password_hash, password)
        user.password_hash = hash_password("changed by its owner")
    assert first_admin(settings) == f"first admin: {FIRST_ADMIN} (its password was changed)"


def test_production_makes_no_account_and_says_how(tmp_path: Path, db_url: str) -> None:
    settings = Settings(
        var_dir=tmp_path / "var",
        database_url=db_url,
        environment="production",
        webhook_secret="s3cret-of-the-clinic",
        secret_key="k" * 32,
    )
    assert "reflect admin add-user --role admin" in first_admin(settings)
    with session_scope(db_url) as session:
        assert user_by_email(session, FIRST_ADMIN) is None
