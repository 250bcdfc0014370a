"""Rasa's endpoints file, written from settings: the embedded default, and the servers it
scales on. (tests/stack/test_scaled.py runs Rasa on such a file.)"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from bot.rasa_endpoints import write_endpoints
from bot.settings import Settings, SettingsError


def _written(tmp_path: Path, **values: object) -> dict[str, object]:
    settings = Settings(var_dir=tmp_path, **values)  # type: ignore[arg-type]
    path = write_endpoints(settings, tmp_path / "endpoints.yml")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it may hold passwords
    return yaml.safe_load(path.read_text())


def test_the_embedded_default_is_a_sqlite_tracker_store_and_no_shared_lock(tmp_path: Path) -> None:
    assert _written(tmp_path, action_port=5123) == {
        "action_endpoint": {"url": "http://127.0.0.1:5123/webhook"},
        "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "tracker.db")},
    }


def test_scaled_the_tracker_store_is_postgresql_and_the_lock_store_redis(tmp_path: Path) -> None:
    written = _written(
        tmp_path,
        tracker_store_url="postgresql://rasa:s%40cret@db.internal:5432/tracker",
        redis_url="rediss://:p%40ss@cache.internal:6380/2",
    )
    assert written["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "postgresql://rasa:s%40cret@db.internal:5432/tracker",
    }
    assert written["lock_store"] == {
        "type": "redis",
        "url": "cache.internal",
        "port": 6380,
        "db": 2,
        "key_prefix": "reflect",
        "password": "p@ss",
        "use_ssl": True,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("database_url", "not a url"),
        ("tracker_store_url", "db.internal:5432"),
        ("redis_url", "cache.internal:6379"),
    ],
)
def test_a_server_address_that_cannot_be_read_stops_the_start(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"REFLECT_{name.upper()}") as refused:
        Settings(**{name: value})  # type: ignore[arg-type]
    assert value not in str(refused.value)  # it might hold a password
