"""The offer after the check-in."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import ActionOfferExercises, offer_response
from tests.actions.conftest import MakeTracker, responses


@pytest.mark.parametrize(
    ("score", "response"),
    [
        (0.0, "utter_offer_gratitude_gently"),
        (3.0, "utter_offer_gratitude_gently"),
        (3.5, "utter_offer_gratitude"),
        (8.0, "utter_offer_gratitude"),
        (None, "utter_offer_gratitude"),
    ],
)
def test_a_low_rating_gets_the_gentler_offer(score: float | None, response: str) -> None:
    assert offer_response(score) == response


async def test_the_action_sends_the_offer_for_the_rating(
    make_tracker: MakeTracker, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    await ActionOfferExercises().run(dispatcher, make_tracker(slots={"mood_score": 2.0}), domain)
    assert responses(dispatcher) == ["utter_offer_gratitude_gently"]
