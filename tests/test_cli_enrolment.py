"""`reflect client add` on a real SQLite file: a locale without crisis lines is refused."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.storage.db import session_scope
from bot.storage.models import Client


def enrol(*args: str) -> int:
    return main(["client", "add", "--name", "Ana", "--private", *args])


def test_an_unknown_locale_is_refused_and_nobody_is_enrolled(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert enrol("--id", "ana", "--locale", "ZZ") == 1
    err = capsys.readouterr().err
    assert "no crisis lines for locale 'ZZ'" in err and "US" in err and "UK" in err
    with session_scope(db_url) as session:
        assert session.get(Client, "ana") is None


def test_a_known_locale_and_the_default_are_taken(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert enrol("--id", "ana", "--locale", "uk") == 0
    assert enrol("--id", "ben") == 0
    assert "access token (shown once): rt_" in capsys.readouterr().out
    with session_scope(db_url) as session:
        assert session.get(Client, "ana").locale == "UK"
        assert session.get(Client, "ben").locale == "US"  # config/crisis_resources.yml's default
