"""Settings read from REFLECT_* variables: one code base for the embedded and scaled set-ups."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal, get_args

from limits import parse as parse_rate
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Signs webhooks on a development machine only: refused in any other environment, and
# `reflect run` warns while it is in use.
DEVELOPMENT_SECRET = "change-me"
Environment = Literal["development", "production"]


class SettingsError(ValueError):
    """A setting that cannot be used; raised when the settings are made, so nothing starts."""


@dataclass(frozen=True)
class Settings:
    """Every knob of a deployment; each field is read from REFLECT_<FIELD NAME IN CAPITALS>."""

    var_dir: Path = Path("var")
    # Empty means the embedded default: SQLite files under var_dir.
    database_url: str = ""
    tracker_db: str = ""
    # Rasa's tracker store on a database server, as a SQLAlchemy URL
    # (postgresql://user:password@host:5432/name); empty: the SQLite file tracker_db.
    tracker_store_url: str = ""
    # Connections each process keeps open to a database server, and how many more it may
    # open at a busy moment: the app's engine and Rasa's tracker store alike (not SQLite).
    # Together 40, the threads an entry-point worker runs turns on (anyio's default), so no
    # turn waits for a connection; a smaller pool ran out under 100 clients (`make bench`).
    db_pool_size: int = 10
    db_max_overflow: int = 30
    # redis://[:password@]host:port/db: Rasa's lock store and the rate limits (per client and
    # sign-in), shared by every replica. Empty: in-memory, right for one process of each.
    redis_url: str = ""
    # amqp://user:password@host:5672: Rasa publishes every tracker event there (its event
    # broker), and `reflect events` stores what the review shows. Empty: no broker.
    rabbitmq_url: str = ""
    # The durable queue Rasa publishes to and `reflect events` reads.
    events_queue: str = "reflect_events"
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_port: int = 5005
    # How many Rasa servers `reflect run` starts, on rasa_port, rasa_port + 1, ...; more than
    # one needs redis_url (Rasa's lock store). Each conversation keeps to one server, and
    # moves to the next while its own is down.
    rasa_replicas: int = 1
    # Rasa servers run elsewhere (one per pod, say), comma-separated, in a fixed order:
    # replaces the loopback ones above.
    rasa_urls: str = ""
    # uvicorn worker processes of the entry point; more than one needs redis_url.
    entry_workers: int = 1
    action_port: int = 5055
    # The action server's webhook when it runs elsewhere (its own container); empty: the one
    # `reflect run` starts on 127.0.0.1:action_port.
    action_server_url: str = ""
    rasa_timeout_s: float = 30.0
    # Token for Rasa's HTTP API (pausing a conversation); empty: one kept in var_dir is used.
    rasa_api_token: str = ""
    max_message_bytes: int = 8192
    # A longer message is still read and checked for risk, up to this size: a crisis in it is
    # answered and escalated; anything else is kept in the transcript and refused with 413.
    max_assessed_bytes: int = 262144
    # Per client: this many messages at once, then one more every rate_limit_refill_s seconds.
    rate_limit_burst: int = 20
    rate_limit_refill_s: float = 1.0
    conversation_idle_minutes: int = 60
    # Escalation: how long Rasa may take on a crisis turn before the entry point answers alone.
    crisis_rasa_timeout_s: float = 5.0
    crisis_resources_file: Path = Path("config/crisis_resources.yml")
    on_call_file: Path = Path("config/on_call.yml")
    # Unacknowledged this long, an escalation is sent to the next on-call contact.
    escalation_ack_s: float = 300.0
    # When no on-call notification of an open escalation has got through and the first failure
    # is this old, the on-call file's fallback contact is told (once per escalation).
    fallback_after_s: float = 60.0
    # `development` is the only environment that accepts the development webhook secret.
    environment: Environment = "development"
    webhook_secret: str = DEVELOPMENT_SECRET
    webhook_timeout_s: float = 5.0
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "reflect@localhost"
    outbox_poll_s: float = 0.2
    outbox_max_backoff_s: float = 300.0
    # The web app (/app): signs its CSRF tokens. Empty in development: one kept in var_dir is
    # used; refused empty anywhere else.
    secret_key: str = ""
    # A web sign-in lasts this long.
    session_hours: float = 12.0
    # Failed sign-ins per email address and per IP address, in the `limits` library's
    # notation ("5/minute"): past it, sign-in is refused with 429 until the window moves on.
    login_rate_limit: str = "5/minute"
    # The address people open the web app at, for invitation links (behind a proxy, its
    # https address); empty: the entry point's own address.
    public_url: str = ""
    # One live-update connection (server-sent events) lasts this long; the browser then
    # reconnects, and its sign-in and role are checked again.
    stream_lifetime_s: float = 300.0

    def __post_init__(self) -> None:
        """Raises SettingsError for an unknown environment, for the development webhook secret
        (or none) or a short web secret key anywhere but in development, for a database or
        Redis URL that cannot be read, and for a sign-in rate the `limits` library cannot
        read."""
        if self.environment not in get_args(Environment):
            raise SettingsError(
                f"REFLECT_ENVIRONMENT is {self.environment!r}; expected one of "
                f"{', '.join(get_args(Environment))}"
            )
        if self.environment != "development" and self.webhook_secret in ("", DEVELOPMENT_SECRET):
            raise SettingsError(
                f"REFLECT_WEBHOOK_SECRET is unset or the development default, which is refused "
                f"in {self.environment}: set a secret of your own (webhook receivers check it)"
            )
        if self.environment != "development" and len(self.secret_key) < 32:
            raise SettingsError(
                f"REFLECT_SECRET_KEY must be at least 32 characters in {self.environment} "
                "(it signs the web app's CSRF tokens)"
            )
        for name in ("database_url", "tracker_store_url"):
            value = getattr(self, name)
            if value:
                try:
                    make_url(value)
                except ArgumentError:  # its text would repeat the URL, password and all
                    raise SettingsError(
                        f"REFLECT_{name.upper()} is not a database URL such as "
                        "postgresql://user:password@host:5432/name"
                    ) from None
        if not self.redis_url and (len(self.rasa_servers) > 1 or self.entry_workers > 1):
            raise SettingsError(
                "several Rasa servers or entry-point workers need REFLECT_REDIS_URL: Rasa's "
                "lock store and the rate limits must be shared between them"
            )
        if self.rasa_replicas < 1 or self.entry_workers < 1:
            raise SettingsError("REFLECT_RASA_REPLICAS and REFLECT_ENTRY_WORKERS must be >= 1")
        if self.rabbitmq_url and not self.rabbitmq_url.startswith(("amqp://", "amqps://")):
            raise SettingsError(
                "REFLECT_RABBITMQ_URL must start with amqp:// or amqps://, "
                "such as amqp://guest:guest@127.0.0.1:5672"
            )
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://")):
            raise SettingsError(
                "REFLECT_REDIS_URL must start with redis:// or rediss://, "
                "such as redis://127.0.0.1:6379/0"
            )
        try:
            parse_rate(self.login_rate_limit)
        except ValueError as error:
            raise SettingsError(
                f"REFLECT_LOGIN_RATE_LIMIT {self.login_rate_limit!r} is not a rate such as "
                f"'5/minute': {error}"
            ) from error

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        """Builds settings from the environment, converting each value to its field's type."""
        values = {
            f.name: type(f.default)(env[key])
            for f in fields(cls)
            if (key := f"REFLECT_{f.name.upper()}") in env
        }
        settings = cls(**values)
        return replace(settings, var_dir=settings.var_dir.resolve())

    def config_path(self, path: Path) -> Path:
        """A relative config path is relative to the project, wherever the process runs."""
        return path if path.is_absolute() else PROJECT_DIR / path

    @property
    def app_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'reflect.db'}"

    @property
    def tracker_db_path(self) -> str:
        return self.tracker_db or str(self.var_dir / "tracker.db")

    @property
    def tracker_database_url(self) -> str:
        """Rasa's tracker store as a SQLAlchemy URL: the server's, or the SQLite file's."""
        path = self.config_path(Path(self.tracker_db_path))
        return self.tracker_store_url or f"sqlite:///{path}"

    @property
    def rasa_servers(self) -> tuple[str, ...]:
        """Every Rasa server's base URL, in a fixed order (bot/rasa_client.py routes by it)."""
        if self.rasa_urls:
            return tuple(url.strip().rstrip("/") for url in self.rasa_urls.split(",") if url)
        return tuple(f"http://127.0.0.1:{self.rasa_port + n}" for n in range(self.rasa_replicas))

    @property
    def action_url(self) -> str:
        return self.action_server_url or f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def entry_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def web_url(self) -> str:
        """Where the web app's pages are, as people reach them."""
        return (self.public_url or self.entry_url).rstrip("/")

    def child_environment(self) -> dict[str, str]:
        """What the children of `reflect run` read, endpoints.yml's variables included."""
        env = {f"REFLECT_{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}
        env["REFLECT_ACTION_URL"] = self.action_url
        env["REFLECT_TRACKER_DB"] = self.tracker_db_path
        # Rasa sizes its PostgreSQL tracker store's pool from these.
        env["SQL_POOL_SIZE"] = str(self.db_pool_size)
        env["SQL_MAX_OVERFLOW"] = str(self.db_max_overflow)
        return env
