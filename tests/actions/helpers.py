"""Helpers the action tests share: running an action, building tracker fields, reading replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.storage.db import session_scope
from bot.storage.journal import Answer, save_entry

MakeTracker = Callable[..., Tracker]


@dataclass
class Act:
    """The domain, a dispatcher and a tracker factory: all an action needs to run in a test."""

    dispatcher: CollectingDispatcher
    domain: dict[str, Any]
    tracker: MakeTracker

    async def run(
        self,
        action: Action,
        tracker: Tracker | None = None,
        *,
        dispatcher: CollectingDispatcher | None = None,
        **tracker_fields: Any,
    ) -> list[dict[str, Any]]:
        """Runs `action` on `tracker`, or on one built from `tracker_fields`; returns its events.

        Messages go to this act's dispatcher unless another `dispatcher` is given.
        """
        if tracker is None:
            tracker = self.tracker(**tracker_fields)
        elif tracker_fields:
            raise TypeError("give a tracker or the fields to build one, not both")
        if dispatcher is None:
            dispatcher = self.dispatcher
        return await action.run(dispatcher, tracker, self.domain)


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    """The names of the responses an action sent."""
    return [message["response"] for message in dispatcher.messages]


def validation(form: str) -> Any:
    """The registered validation action of `form`."""
    # Imported here: conftest loads this module before pytest's warning filters are in place,
    # and the forms pull in spaCy, whose imports warn.
    from actions.forms import VALIDATIONS

    (cls,) = [v for v in VALIDATIONS if v().name() == f"validate_{form}"]
    return cls()


def form_events(form: str, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """What the tracker holds after `form` ran: the loop, then one slot event per answer."""
    events: list[dict[str, Any]] = [{"event": "active_loop", "name": form}]
    for n, (slot, value) in enumerate(answers.items()):
        events.append({"event": "slot", "name": slot, "value": value, "timestamp": 1.8e9 + n})
    return events


def answered(
    form: str,
    slot: str,
    answer: Any,
    *,
    slots: dict[str, Any] | None = None,
    latest_message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Tracker fields for validation: `form` asked for `slot` and the client gave `answer`.

    `slots` are filled earlier in the form.
    """
    return {
        "slots": {**(slots or {}), slot: answer, "requested_slot": slot},
        "events": [{"event": "slot", "name": slot, "value": answer}],
        "active_loop": form,
        "latest_message": latest_message,
    }


def asking(
    form: str, slot: str, readiness: str, text: str, intent: dict[str, Any]
) -> dict[str, Any]:
    """Tracker fields mid-exercise: `form` has asked for `slot`, and the client answered `text`."""
    return {
        "slots": {"readiness": readiness, "requested_slot": slot},
        "events": [{"event": "slot", "name": "requested_slot", "value": slot}],
        "active_loop": form,
        "latest_message": {"intent": intent, "text": text},
    }


def store_entry(
    db_url: str,
    exercise: str,
    answers: list[Answer],
    *,
    completed: bool,
    shared: bool | None = None,
    at_risk: bool = False,
) -> None:
    """Saves an entry for Sam in a session of its own, as an earlier exercise would have."""
    with session_scope(db_url) as session:
        save_entry(
            session, "sam", exercise, answers, completed=completed, shared=shared, at_risk=at_risk
        )
