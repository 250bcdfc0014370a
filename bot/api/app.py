"""Builds the entry point's FastAPI application."""

from __future__ import annotations

import logging

from fastapi import Depends, FastAPI

from bot import rasa_client
from bot.api import messages, transcript
from bot.api.deps import get_settings
from bot.api.errors import install_error_handlers
from bot.api.schemas import HealthOut
from bot.escalation.config import check_config
from bot.escalation.contact_check import check_on_call_file
from bot.ratelimit import RateLimiter, rate_storage
from bot.settings import Settings
from bot.storage.schema import ensure_schema
from bot.web import PREFIX
from bot.web.app import create_web_app
from guardrails import warm_up

log = logging.getLogger("reflect.entry")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app with its settings, schema and rate limiter; uvicorn calls this as a factory.

    Raises ConfigError when a clinic's crisis-lines or on-call file is malformed, so a bad
    edit stops the start rather than a crisis turn.
    """
    settings = settings or Settings.from_env()
    check_config(settings)
    for problem in check_on_call_file(settings).problems:
        log.warning("escalations: %s", problem)
    ensure_schema(settings)
    warm_up()
    app = FastAPI(title="Reflect entry point", version="0.1.0")
    app.state.settings = settings
    # One storage for the message and sign-in limits: memory, or Redis shared by replicas.
    limits = rate_storage(settings.redis_url)
    app.state.rate_limiter = RateLimiter(
        settings.rate_limit_burst, settings.rate_limit_refill_s, limits
    )
    install_error_handlers(app)
    app.include_router(messages.router)
    app.include_router(transcript.router)
    app.mount(PREFIX, create_web_app(settings, app.state.rate_limiter, limits))

    @app.get("/healthz", response_model=HealthOut)
    def health(settings: Settings = Depends(get_settings)) -> HealthOut:
        """Up when the entry point runs; `assistant` says whether every Rasa server answers
        (up), some (degraded) or none (down), and `escalation_contacts` whether the on-call
        file, as it is now, can reach anyone."""
        answering = rasa_client.answering(settings)
        servers = len(settings.rasa_servers)
        assistant = "up" if answering == servers else "degraded" if answering else "down"
        return HealthOut(
            status="ok",
            assistant=assistant,
            escalation_contacts=check_on_call_file(settings).status,
        )

    return app
