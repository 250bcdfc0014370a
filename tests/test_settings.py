"""Settings fail when they are made: the development webhook secret only in development."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.settings import DEVELOPMENT_SECRET, Settings, SettingsError


def test_development_accepts_the_development_secret() -> None:
    assert Settings.from_env({}).webhook_secret == DEVELOPMENT_SECRET
    assert Settings.from_env({"REFLECT_ENVIRONMENT": "development"}).environment == "development"


@pytest.mark.parametrize("secret", [None, DEVELOPMENT_SECRET, ""])
def test_production_refuses_the_development_secret_or_none(secret: str | None) -> None:
    env = {"REFLECT_ENVIRONMENT": "production"}
    if secret is not None:
        env["REFLECT_WEBHOOK_SECRET"] = secret
    with pytest.raises(SettingsError, match="REFLECT_WEBHOOK_SECRET"):
        Settings.from_env(env)
    with pytest.raises(SettingsError):
        Settings(environment="production", webhook_secret=secret or DEVELOPMENT_SECRET)


WEB_KEY = "k" * 32


def test_production_takes_a_secret_of_its_own() -> None:
    env = {
        "REFLECT_ENVIRONMENT": "production",
        "REFLECT_WEBHOOK_SECRET": "s3cret-of-the-clinic",
        "REFLECT_SECRET_KEY": WEB_KEY,
    }
    assert Settings.from_env(env).webhook_secret == "s3cret-of-the-clinic"


@pytest.mark.parametrize("key", ["", "too-short"])
def test_production_refuses_a_missing_or_short_web_secret_key(key: str) -> None:
    with pytest.raises(SettingsError, match="REFLECT_SECRET_KEY must be at least 32"):
        Settings(environment="production", webhook_secret="s3cret-of-the-clinic", secret_key=key)


def test_a_sign_in_rate_the_limits_library_cannot_read_is_refused_at_load() -> None:
    with pytest.raises(SettingsError, match="REFLECT_LOGIN_RATE_LIMIT 'often'"):
        Settings.from_env({"REFLECT_LOGIN_RATE_LIMIT": "often"})


def test_an_unknown_environment_is_refused() -> None:
    with pytest.raises(SettingsError, match="REFLECT_ENVIRONMENT is 'prod'"):
        Settings.from_env({"REFLECT_ENVIRONMENT": "prod"})


def test_the_cli_stops_with_the_reason(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REFLECT_ENVIRONMENT", "production")
    monkeypatch.delenv("REFLECT_WEBHOOK_SECRET", raising=False)
    assert main(["escalations", "list"]) == 1
    assert "REFLECT_WEBHOOK_SECRET is unset or the development default" in capsys.readouterr().err
