"""An action that fails with the client's words in its error, as a careless action might."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class ActionThatFails(Action):
    def name(self) -> str:
        return "action_that_fails"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        raise ValueError(f"cannot read {tracker.latest_message.get('text')!r}")
