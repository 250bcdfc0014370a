"""A clinic's crisis-lines and on-call files are checked at start-up, not at the first crisis."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.api.app import create_app
from bot.cli import main
from bot.escalation.config import ConfigError, check_config, crisis_lines, on_call
from bot.settings import Settings


def test_the_shipped_files_pass_and_every_locale_has_both_kinds_of_line() -> None:
    settings = Settings()
    check_config(settings)
    resources = settings.config_path(settings.crisis_resources_file)
    for locale in ("US", "UK", "IE", "CA", "AU"):
        assert crisis_lines(resources, locale, "crisis")
        assert crisis_lines(resources, locale, "safeguarding")


@pytest.mark.parametrize(
    "text, named",
    [
        ("default: US\nlocales:\n  US: ['988']\n", "locale US needs exactly"),
        ("default: UK\nlocales:\n  US: {crisis: ['988'], safeguarding: ['x']}\n", "default"),
        ("default: US\nlocales:\n  US: {crisis: [], safeguarding: ['x']}\n", "'crisis'"),
        ("locales: [\n", "cannot be read"),
    ],
)
def test_a_bad_crisis_lines_file_is_refused_with_the_file_and_entry_named(
    tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "lines.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named) as error:
        check_config(Settings(crisis_resources_file=path))
    assert str(path) in str(error.value)


def test_a_contact_without_a_way_to_reach_them_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "on_call.yml"
    path.write_text("contacts:\n  - name: Dr. Rivera\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="contact 1 needs"):
        check_config(Settings(on_call_file=path))


def test_the_entry_point_does_not_start_on_a_bad_file(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "lines.yml"
    path.write_text("default: US\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        create_app(Settings(database_url=db_url, crisis_resources_file=path))


def test_reflect_run_stops_before_starting_anything_on_a_bad_file(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "on_call.yml"
    path.write_text("contacts: nobody\n", encoding="utf-8")
    monkeypatch.setenv("REFLECT_ON_CALL_FILE", str(path))
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    assert main(["run", "--model", str(model)]) == 1
    assert f"error: {path}: expected a 'contacts' list" in capsys.readouterr().err


def test_a_file_broken_while_running_is_logged_and_its_last_good_copy_is_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lines = tmp_path / "lines.yml"
    lines.write_text(
        "default: US\nlocales:\n  US: {crisis: ['Call 988'], safeguarding: ['Call 911']}\n",
        encoding="utf-8",
    )
    on_call_file = tmp_path / "on_call.yml"
    on_call_file.write_text("contacts:\n  - {name: Night team, email: night@example.org}\n")
    settings = Settings(crisis_resources_file=lines, on_call_file=on_call_file)
    check_config(settings)
    lines.write_text("locales: [\n", encoding="utf-8")  # a bad edit while the stack runs
    on_call_file.write_text("contacts: nobody\n", encoding="utf-8")
    with caplog.at_level("ERROR"):
        assert crisis_lines(lines, "US") == ["Call 988"]
        assert [c.name for c in on_call(on_call_file).contacts] == ["Night team"]
    assert str(lines) in caplog.text and str(on_call_file) in caplog.text
    with pytest.raises(ConfigError):
        check_config(settings)  # at start-up a broken file is still refused
    on_call_file.write_text("contacts:\n  - {name: Day team, webhook: 'http://127.0.0.1:9/x'}\n")
    assert [c.name for c in on_call(on_call_file).contacts] == ["Day team"], "a fixed file applies"


def test_the_fallback_contact_is_read_and_checked_like_the_others(tmp_path: Path) -> None:
    path = tmp_path / "on_call.yml"
    path.write_text(
        "contacts:\n  - {name: Night team, email: night@clinic.org}\n"
        "fallback: {name: Duty desk, email: duty@clinic.org, webhook: 'https://pager.clinic.org/x'}\n",
        encoding="utf-8",
    )
    fallback = on_call(path).fallback
    assert fallback is not None
    assert (fallback.name, fallback.email, fallback.webhook) == (
        "Duty desk",
        "duty@clinic.org",
        "https://pager.clinic.org/x",
    )


@pytest.mark.parametrize(
    "text, named",
    [
        ("contacts: []\nfallback: {name: Duty desk}\n", "the fallback needs"),
        ("contacts: []\nfallback: {name: Desk, email: d@clinic.org, phone: '1'}\n", "the fallback"),
        ("contacts: []\nfalback: {name: Desk, email: d@clinic.org}\n", "optional 'fallback' only"),
        ("contacts:\n  - {name: Desk, email: [a@clinic.org]}\n", "contact 1 needs"),
    ],
)
def test_a_bad_fallback_or_an_unknown_key_is_refused(tmp_path: Path, text: str, named: str) -> None:
    path = tmp_path / "on_call.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named) as error:
        check_config(Settings(on_call_file=path))
    assert str(path) in str(error.value)
