"""One turn through the running stack: a crisis while a clinician is in the chat, resends,
and a burst of messages racing to open a conversation."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.api.app import create_app
from bot.escalation.reply import SAFETY_QUESTION
from bot.ratelimit import RateLimiter, rate_storage
from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.models import Conversation, Message
from tests.receivers import wait_for
from tests.stack.conftest import (
    Enrolled,
    Receivers,
    chat,
    client_messages,
    post,
    send_with_id,
)
from tests.stack.test_escalation import CRISIS, escalations_of, reflect

CUT_DEEPER = "I have the razor, I'm going to cut deeper"


def test_a_crisis_while_a_clinician_is_joined_reaches_them_and_gives_the_client_the_lines(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("joined-crisis")
    assert post(stack, client, CRISIS).status_code == 200
    (escalation,) = escalations_of(stack, "joined-crisis")
    reflect(stack, "escalations", "join", str(escalation.id), "--clinician", "First")
    assert post(stack, client, "it's just a lot today").json()["replies"] == []

    response = post(stack, client, CUT_DEEPER)

    assert response.status_code == 200
    (reply,) = response.json()["replies"]
    # Brief: the clinician is named and the lines are there; the bot does not take over.
    assert "First from your care team is in this chat" in reply["text"]
    assert "988" in reply["text"]
    assert SAFETY_QUESTION not in reply["text"]
    (alert,) = wait_for(
        lambda: [
            r
            for r in receivers.webhook.for_escalation(escalation.id, "/first")
            if r.payload["event"] == "crisis_while_joined"
        ]
    )
    assert alert.payload["message"] == CUT_DEEPER
    transcript = reflect(stack, "escalations", "transcript", str(escalation.id))
    assert f"client [CRISIS]> {CUT_DEEPER}" in transcript
    assert "client> it's just a lot today" in transcript
    reflect(stack, "escalations", "resolve", str(escalation.id), "--notes", "Stayed with them.")


def test_a_resend_with_the_same_id_gets_the_same_answer_and_is_stored_once(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("resender")
    first = send_with_id(stack, client, "hi there", "m-1")
    again = send_with_id(stack, client, "hi there", "m-1")

    assert first.status_code == again.status_code == 200
    assert [r["text"] for r in again.json()["replies"]] == [
        r["text"] for r in first.json()["replies"]
    ]
    assert (first.json()["resent"], again.json()["resent"]) == (False, True)
    (stored,) = client_messages(stack, "resender")
    assert stored.text == "hi there"
    with session_scope(stack.settings.app_database_url) as session:
        replies = session.scalars(select(Message.text).where(Message.reply_to_id == stored.id))
        assert list(replies) == [r["text"] for r in first.json()["replies"]]


def test_a_message_refused_by_the_rate_limit_is_taken_in_place_when_resent(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("limited-resend")
    # The same stack, behind an in-process entry point that takes one message a second.
    app = create_app(stack.settings)
    app.state.rate_limiter = RateLimiter(1, 1.0, rate_storage(""))
    with TestClient(app) as entry:

        def send(text: str, message_id: str) -> httpx.Response:
            return entry.post(
                "/v1/messages",
                json={"client_id": client.client_id, "text": text, "client_message_id": message_id},
                headers={"Authorization": f"Bearer {client.token}"},
            )

        assert send("hello", "a").status_code == 200
        limited = send("how do i start", "b")
        assert limited.status_code == 429
        assert [(m.text, m.status) for m in client_messages(stack, "limited-resend")][-1] == (
            "how do i start",
            "rate_limited",
        )
        time.sleep(float(limited.headers["Retry-After"]))
        assert send("how do i start", "b").status_code == 200

    stored = [(m.text, m.status) for m in client_messages(stack, "limited-resend")]
    assert stored == [("hello", "accepted"), ("how do i start", "accepted")]


def test_forty_messages_at_once_open_one_conversation(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("burst")
    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(lambda n: post(stack, client, f"line {n}").status_code, range(40)))

    # The limit lets a burst through and keeps the rest, refused, in the same conversation.
    assert set(statuses) <= {200, 429} and 200 in statuses
    assert len(client_messages(stack, "burst")) == 40
    with session_scope(stack.settings.app_database_url) as session:
        opened = session.scalar(
            select(func.count()).select_from(Conversation).where(Conversation.client_id == "burst")
        )
        assert opened == 1


def test_reflect_chat_gives_every_message_its_own_id(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("chat-ids")
    done = chat(stack, client, ["hello", "hello", "i'd like to journal"])

    assert done.returncode == 0, done.stderr
    ids = [m.client_message_id for m in client_messages(stack, "chat-ids")]
    # The same words twice are two messages; each try of one message carries one id.
    assert len(ids) == 3 and None not in ids and len(set(ids)) == 3


def test_other_words_under_a_used_id_are_a_new_message_and_a_crisis_in_them_is_answered(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("reused-id")
    assert send_with_id(stack, client, "hi there", "n-1").status_code == 200

    crisis = send_with_id(stack, client, "I took all of my pills an hour ago", "n-1")

    assert crisis.status_code == 200 and crisis.json()["resent"] is False
    assert "are you safe right now?" in " ".join(r["text"] for r in crisis.json()["replies"])
    assert [m.text for m in client_messages(stack, "reused-id")] == [
        "hi there",
        "I took all of my pills an hour ago",
    ]
    (escalation,) = escalations_of(stack, "reused-id")
    reflect(
        stack,
        "escalations",
        "resolve",
        str(escalation.id),
        "--notes",
        "Seen.",
        "--clinician",
        "First",
    )
