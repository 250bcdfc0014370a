"""Both rails in the running stack: the input rail on every message, the output rail on replies."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from sqlalchemy import select

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from bot.storage.models import BlockedReply, Conversation, Message
from tests.stack.conftest import Enrolled, client_messages, post
from tests.stack.test_journeys import STABILIZING_OFFER

CRISIS_SUPPORT = "are you safe right now?"


def last_user_parse(stack: Stack, sender: str) -> dict:
    """What Rasa made of the client's latest message, read from its real tracker store."""
    with sqlite3.connect(stack.settings.tracker_db_path) as db:
        (data,) = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
            "ORDER BY id DESC LIMIT 1",
            (sender,),
        ).fetchone()
    return json.loads(data)["parse_data"]


def test_a_crisis_mid_exercise_is_caught_though_the_model_guessed_otherwise(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("midway")
    assert post(stack, client, "gratitude please").status_code == 200
    assert post(stack, client, "my neighbour brought soup").status_code == 200

    response = post(stack, client, "honestly i just want to end it all")

    assert response.status_code == 200
    replies = " ".join(r["text"] for r in response.json()["replies"])
    assert CRISIS_SUPPORT in replies
    assert "second thing" not in replies  # the exercise did not carry on
    parse = last_user_parse(stack, "midway")
    assert parse["intent"]["name"] == "crisis"
    assert parse["risk"]["level"] == "crisis"
    assert parse["risk"]["model_intent"] not in (None, "crisis")  # the model's own guess
    stored = client_messages(stack, "midway")[-1]
    assert (stored.risk_level, stored.risk_signals) == (
        parse["risk"]["level"],
        parse["risk"]["signals"],
    )
    # What was written is kept, unfinished, with the answer that ended it, for the clinician.
    with session_scope(stack.settings.app_database_url) as session:
        (entry,) = entries_for(session, "midway")
        assert (entry.completed, entry.at_risk) == (False, True)
        assert [item.answer for item in entry.items] == [
            "my neighbour brought soup",
            "honestly i just want to end it all",
        ]


def test_every_client_message_is_assessed_and_stored_with_its_level(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("assessed")
    for text in ["hi", "this homework is killing me", "i keep having flashbacks and cant sleep"]:
        assert post(stack, client, text).status_code == 200
    levels = [(m.text, m.risk_level) for m in client_messages(stack, "assessed")]
    assert levels == [
        ("hi", "none"),
        ("this homework is killing me", "none"),
        ("i keep having flashbacks and cant sleep", "concern"),
    ]
    assert last_user_parse(stack, "assessed")["risk"]["level"] == "concern"


def test_a_crisis_is_answered_even_past_the_rate_limit(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("flooded")
    while post(stack, client, "hello again").status_code != 429:
        pass
    response = post(stack, client, "i have pills saved up and tonight is the night")
    assert response.status_code == 200
    assert CRISIS_SUPPORT in " ".join(r["text"] for r in response.json()["replies"])


def test_after_distress_readiness_offers_grounding_so_the_rail_has_nothing_to_replace(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("paced")
    for text in ["hi", "4"]:
        assert post(stack, client, text).status_code == 200
    response = post(stack, client, "panicky and hopeless")

    validation, offer, question = response.json()["replies"]
    assert "That sounds really hard" in validation["text"]
    assert "each of your senses" in offer["text"]
    assert "gratitude" not in offer["text"].lower()
    assert [b["title"] for b in offer["buttons"]] == STABILIZING_OFFER
    assert "thoughts of suicide?" in question["text"]  # hopelessness gets the direct question
    with session_scope(stack.settings.app_database_url) as session:
        blocked = session.scalars(
            select(BlockedReply)
            .join(Message)
            .join(Conversation)
            .where(Conversation.client_id == "paced")
        ).all()
        assert blocked == []


def test_distress_outside_an_exercise_is_validated_and_grounding_offered_first(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("distressed")
    response = post(stack, client, "i keep having flashbacks and cant sleep")

    validation, offer = response.json()["replies"]
    assert "That sounds really hard" in validation["text"]
    assert "each of your senses" in offer["text"]
    assert offer["buttons"][0] == {"title": "Yes, let's try", "payload": "/affirm"}
    parse = last_user_parse(stack, "distressed")
    assert parse["intent"]["name"] == "distress"
    assert parse["risk"]["model_intent"] != "distress"  # the model's own guess is kept
