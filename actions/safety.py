"""Texts an action builds at run time pass the output rail before they are sent.

Fixed responses are checked once, in `make test`; text filled in at run time (a summary of the
client's words, a guess, the crisis reply) is checked here, so `rasa shell` and any other channel
get the same protection as the entry point.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from guardrails import check_reply, replacement_for


def rendered(domain: DomainDict, response: str, values: dict[str, Any]) -> str:
    """The response's first text with its {placeholders} filled, as Rasa would fill them."""
    variants = domain.get("responses", {}).get(response, [])
    template = variants[0].get("text", "") if variants else ""
    return template.format_map(defaultdict(str, values))


def utter_checked(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    *,
    response: str | None = None,
    text: str | None = None,
    **values: Any,
) -> bool:
    """Sends the response or text if the output rail allows it, else a validating replacement.

    Returns whether the original went out.
    """
    candidate = text if text is not None else rendered(domain, response or "", values)
    verdict = check_reply(candidate, tracker.get_slot("risk_level"))
    if verdict.verdict == "block":
        dispatcher.utter_message(text=replacement_for(verdict))
        return False
    dispatcher.utter_message(text=text, response=response, **values)
    return True
