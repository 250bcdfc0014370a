"""The offer after the check-in, gated by readiness; the reflection check-in keeps its pace."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.offers import ActionOfferExercises, offer
from bot.storage.db import session_scope
from bot.storage.models import Client, PtgCheckin, utcnow
from tests.actions.helpers import Act, responses


def payloads(buttons: list[dict[str, str]]) -> list[str]:
    return [b["payload"] for b in buttons]


def test_stabilizing_offers_grounding_first_and_only_grounding() -> None:
    response, first, buttons = offer("stabilize")
    assert (response, first.name) == ("utter_offer_grounding", "grounding")
    assert payloads(buttons) == [
        "/affirm",
        "/choose_breathing",
        "/choose_safe_place",
        "/choose_free_writing",
        "/choose_body_scan",
        "/deny",
    ]


def test_exploring_offers_gratitude_and_the_other_open_exercises_but_not_meaning() -> None:
    response, first, buttons = offer("explore")
    assert (response, first.name) == ("utter_offer_gratitude", "gratitude")
    assert "/choose_values" in payloads(buttons)
    assert "/choose_narrative" in payloads(buttons)
    assert "/choose_self_compassion" in payloads(buttons)
    assert "/choose_meaning" not in payloads(buttons)
    assert payloads(buttons)[-1] == "/deny"


def test_growing_adds_meaning_making() -> None:
    assert "/choose_meaning" in payloads(offer("grow")[2])


@pytest.mark.parametrize(("level", "first"), [(None, "grounding"), ("stabilize", "grounding")])
async def test_the_action_offers_for_the_readiness_slot(
    level: str | None, first: str, act: Act
) -> None:
    events = await act.run(ActionOfferExercises(), slots={"readiness": level})
    assert responses(act.dispatcher) == ["utter_offer_grounding"]
    assert events == [SlotSet("offered_exercise", first)]


async def test_the_reflection_check_in_is_offered_at_most_once_every_two_weeks(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    tracker = act.tracker(slots={"readiness": "explore"})
    first, second = CollectingDispatcher(), CollectingDispatcher()
    await act.run(ActionOfferExercises(), tracker, dispatcher=first)
    await act.run(ActionOfferExercises(), tracker, dispatcher=second)
    assert responses(first) == ["utter_offer_gratitude", "utter_offer_ptg"]
    assert first.messages[1]["buttons"] == [
        {"title": "Two-weekly reflection check-in", "payload": "/choose_ptg"}
    ]
    assert responses(second) == ["utter_offer_gratitude"]

    with session_scope(db_url) as session:
        for checkin in session.scalars(select(PtgCheckin)):
            checkin.offered_at = utcnow() - timedelta(days=15)
    third = CollectingDispatcher()
    await act.run(ActionOfferExercises(), tracker, dispatcher=third)
    assert responses(third) == ["utter_offer_gratitude", "utter_offer_ptg"]


async def test_the_reflection_check_in_is_not_offered_when_stabilizing(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    await act.run(ActionOfferExercises(), slots={"readiness": "stabilize"})
    assert responses(act.dispatcher) == ["utter_offer_grounding"]


async def test_distress_is_validated_before_grounding_is_offered(act: Act) -> None:
    await act.run(
        ActionOfferExercises(),
        slots={"readiness": "stabilize"},
        latest_message={"intent": {"name": "distress", "confidence": 1.0}},
    )
    assert responses(act.dispatcher) == ["utter_distress_ack", "utter_offer_grounding"]
