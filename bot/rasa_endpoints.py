"""Rasa's endpoints file, written from settings for each `rasa run` that `reflect run` starts.

The embedded default: the tracker store is a SQLite file under var/, and the lock store is
Rasa's in-memory one (one Rasa process). Scaled: the tracker store is the SQL database at
REFLECT_TRACKER_STORE_URL (PostgreSQL), and with REFLECT_REDIS_URL the lock store is Rasa's
RedisLockStore, so that no two Rasa replicas ever handle one conversation's messages at once.
The endpoints.yml in the repository stays for Rasa's own commands (`rasa test`, `rasa shell`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from sqlalchemy.engine import make_url

from bot.private_files import private_file
from bot.settings import Settings

# Rasa's lock keys, apart from the rate limits' keys in the same Redis database.
LOCK_KEY_PREFIX = "reflect"


def tracker_store(settings: Settings) -> dict[str, Any]:
    """Rasa's SQLTrackerStore: a full SQLAlchemy URL goes in `url`, which Rasa passes on whole."""
    if not settings.tracker_store_url:
        return {"type": "SQL", "dialect": "sqlite", "db": settings.tracker_db_path}
    return {
        "type": "SQL",
        "dialect": make_url(settings.tracker_store_url).get_backend_name(),
        "url": settings.tracker_store_url,
    }


def lock_store(redis_url: str) -> dict[str, Any]:
    """Rasa's RedisLockStore at `redis_url` (redis://[:password@]host[:port][/db])."""
    parts = urlsplit(redis_url)
    store: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 6379,
        "db": int(parts.path.strip("/") or 0),
        "key_prefix": LOCK_KEY_PREFIX,
    }
    if parts.password:
        store["password"] = unquote(parts.password)
    if parts.scheme == "rediss":
        store["use_ssl"] = True
    return store


def event_broker(rabbitmq_url: str, queue: str) -> dict[str, Any]:
    """Rasa's PikaEventBroker, publishing to `queue`, which `reflect events` reads."""
    parts = urlsplit(rabbitmq_url)
    return {
        "type": "pika",
        "url": parts.hostname or "127.0.0.1",
        "port": parts.port or 5672,
        "username": unquote(parts.username or "guest"),
        "password": unquote(parts.password or "guest"),
        "queues": [queue],
    }


def endpoints(settings: Settings) -> dict[str, Any]:
    """The endpoints file's contents, as a dict."""
    config: dict[str, Any] = {
        "action_endpoint": {"url": settings.action_url},
        "tracker_store": tracker_store(settings),
    }
    if settings.redis_url:
        config["lock_store"] = lock_store(settings.redis_url)
    if settings.rabbitmq_url:
        config["event_broker"] = event_broker(settings.rabbitmq_url, settings.events_queue)
    return config


def write_endpoints(settings: Settings, path: Path) -> Path:
    """Writes the endpoints file owner-only (it may hold database and Redis passwords)."""
    private_file(path).write_text(yaml.safe_dump(endpoints(settings), sort_keys=False))
    return path
