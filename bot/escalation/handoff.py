"""Rasa's conversation is paused while a clinician is joined: no route into Rasa gets a reply."""

from __future__ import annotations

import logging

from bot import rasa_client
from bot.settings import Settings
from bot.storage.models import Client

logger = logging.getLogger(__name__)

# The CLI and the entry point wait this long for Rasa; the database flag keeps the bot quiet anyway.
PAUSE_TIMEOUT_S = 3.0


def sync_rasa_pause(settings: Settings, client: Client, joined: bool) -> bool:
    """Pauses or resumes Rasa's tracker to match `joined`; False if Rasa could not be told.

    The caller commits: `client.rasa_paused` records what Rasa was last told.
    """
    if client.rasa_paused == joined:
        return True
    try:
        rasa_client.set_paused(settings, client.id, joined, PAUSE_TIMEOUT_S)
    except rasa_client.AssistantUnavailable as error:
        logger.warning(
            "could not %s Rasa for %s: %s", "pause" if joined else "resume", client.id, error
        )
        return False
    client.rasa_paused = joined
    return True
