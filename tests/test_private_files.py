"""Reflect's folders are 0700 and its files 0600, made so or narrowed, whatever the umask."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import main
from bot.private_files import private_dir, private_file
from bot.rasa_client import api_token
from bot.settings import Settings
from bot.storage.db import engine_for
from bot.storage.schema import upgrade_schema


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_are_made_and_narrowed_to_0700(tmp_path: Path) -> None:
    made = private_dir(tmp_path / "a" / "b")
    assert [mode(tmp_path / "a"), mode(made)] == [0o700, 0o700]
    wide = tmp_path / "wide"
    wide.mkdir(mode=0o755)
    wide.chmod(0o755)
    assert mode(private_dir(wide)) == 0o700


def test_files_are_made_and_narrowed_to_0600_keeping_what_they_hold(tmp_path: Path) -> None:
    assert mode(private_file(tmp_path / "new.log")) == 0o600
    old = tmp_path / "old.log"
    old.write_text("kept")
    old.chmod(0o644)
    assert mode(private_file(old)) == 0o600
    assert old.read_text() == "kept"


def test_a_sqlite_database_and_its_companions_are_0600_in_a_0700_folder(tmp_path: Path) -> None:
    path = tmp_path / "var" / "app.db"
    url = f"sqlite:///{path}"
    upgrade_schema(url)
    with engine_for(url).begin() as connection:  # a write leaves the WAL and shared memory
        connection.execute(
            text(
                "INSERT INTO therapists (name, email, created_at) "
                "VALUES ('T', 't@clinic.example', '2026-01-01')"
            )
        )
        companions = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        assert all(c.exists() for c in companions)
        assert {mode(p) for p in [path, *companions]} == {0o600}
    assert mode(path.parent) == 0o700


def test_an_older_wider_database_is_narrowed_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    tmp_path.chmod(0o755)
    upgrade_schema(f"sqlite:///{path}")
    assert (mode(path), mode(tmp_path)) == (0o600, 0o700)


def test_the_cli_makes_the_var_folder_and_database_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    monkeypatch.delenv("REFLECT_DATABASE_URL", raising=False)
    monkeypatch.setenv("REFLECT_VAR_DIR", str(var))
    assert main(["client", "add", "--name", "Ana", "--id", "ana", "--private"]) == 0
    assert (mode(var), mode(var / "reflect.db")) == (0o700, 0o600)


def test_the_rasa_api_token_file_is_0600_in_a_0700_folder(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path / "var")
    token = api_token(settings)
    path = settings.var_dir / "rasa-api-token"
    assert path.read_text().strip() == token
    assert (mode(settings.var_dir), mode(path)) == (0o700, 0o600)
