"""Reflect's plugin to the action server: an action that fails logs no client text.

rasa_sdk imports a package of this name, when there is one, as its server starts (the stack
runs it from the project folder). Left alone, its error handler logs the exception's message
and answers Rasa with the whole tracker, every message of the conversation, which Rasa then
logs too. This hook replaces that handler: the log gets the exception's kind and where it was
raised, and Rasa gets a 500 that quotes nothing.
"""

from __future__ import annotations

import logging
import sys
import traceback

import pluggy
from sanic import Sanic, response
from sanic.request import Request

log = logging.getLogger("reflect.actions")
hookimpl = pluggy.HookimplMarker("rasa_sdk")


def init_hooks(manager: pluggy.PluginManager) -> None:
    """Called by rasa_sdk with its plugin manager."""
    manager.register(sys.modules[__name__])


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    """Registered after rasa_sdk's own handler for Exception, so this one is used."""

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> response.HTTPResponse:
        log.error(
            "unexpected %s on %s %s; its message is not logged\n%s",
            type(error).__name__,
            request.method,
            request.path,
            "".join(traceback.format_tb(error.__traceback__)).rstrip(),
        )
        return response.json({"error": f"the action server failed ({type(error).__name__})"}, 500)
