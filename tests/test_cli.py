"""The therapist- and client-facing `reflect client` commands on a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.cli import main
from bot.readiness import Readiness
from bot.storage.db import session_scope
from bot.storage.models import Client
from bot.storage.ptg import save_ptg
from bot.storage.readiness import growth_setting, save_snapshot


def test_the_therapist_sets_growth_prompts(
    db_url: str, enrolled_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["client", "growth", "sam", "on"]) == 0
    assert "growth prompts for sam: on" in capsys.readouterr().out
    with session_scope(db_url) as session:
        assert growth_setting(session, "sam") == "on"
    assert main(["client", "growth", "nobody", "off"]) == 1
    assert "there is no client" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["client", "growth", "sam", "sometimes"])


def test_the_trend_lists_each_check_in_by_date_and_says_what_it_is(
    db_url: str, enrolled_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(db_url) as session:
        for day, score in ((1, 2), (15, 3)):
            when = datetime(2026, 11, day, tzinfo=timezone.utc)
            save_ptg(session, "sam", {"appreciation": score, "spiritual": 4}, when)
    assert main(["client", "trend", "sam"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "not a validated measure" in lines[0]
    assert lines[-2].split() == ["2026-11-01", "2", "-", "-", "-", "4"]
    assert lines[-1].split() == ["2026-11-15", "3", "-", "-", "-", "4"]


def test_readiness_snapshots_are_shown_with_their_reasons(
    db_url: str, enrolled_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with session_scope(db_url) as session:
        save_snapshot(session, "sam", Readiness("stabilize", ("low rating",)), "auto")
    assert main(["client", "readiness", "sam"]) == 0
    out = capsys.readouterr().out
    assert "growth prompts: auto" in out
    assert ": stabilize" in out
    assert "    - low rating" in out
