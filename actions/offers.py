"""Offering an exercise after the check-in, worded for how the client said they feel."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

LOW_MOOD_AT_MOST = 3.0


def offer_response(mood_score: Any) -> str:
    """A gentler offer that puts stopping first when the client rated their mood low."""
    if isinstance(mood_score, (int, float)) and mood_score <= LOW_MOOD_AT_MOST:
        return "utter_offer_gratitude_gently"
    return "utter_offer_gratitude"


class ActionOfferExercises(Action):
    def name(self) -> str:
        return "action_offer_exercises"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(response=offer_response(tracker.get_slot("mood_score")))
        return []
