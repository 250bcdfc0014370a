"""`reflect run --demo-client ID` keeps one token per demo client across restarts."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.cli import _demo_token
from bot.settings import Settings
from bot.storage.accounts import add_client, token_matches
from bot.storage.db import session_scope
from bot.storage.models import Client
from bot.storage.schema import upgrade_schema


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(var_dir=tmp_path / "var")
    upgrade_schema(settings.app_database_url)
    return settings


def _matches(settings: Settings, client_id: str, token: str) -> bool:
    with session_scope(settings.app_database_url) as session:
        client = session.get(Client, client_id)
        assert client is not None
        return token_matches(client, token)


def test_the_demo_token_survives_a_restart_and_is_kept_private(settings: Settings) -> None:
    first = _demo_token(settings, "demo")
    second = _demo_token(settings, "demo")

    assert first is not None and first == second
    assert _matches(settings, "demo", first)
    kept = settings.var_dir / "demo-tokens" / "demo"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700


def test_a_client_enrolled_another_way_keeps_its_token(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(settings.app_database_url) as session:
        _client, token = add_client(session, "Sam", client_id="sam")

    assert _demo_token(settings, "sam") is None
    assert "reflect client token sam" in capsys.readouterr().out
    assert _matches(settings, "sam", token)
