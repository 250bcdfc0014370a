"""The entry point in front of Rasa: every message is stored, bad input gets a clear error."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from sqlalchemy import select

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.escalations import active_escalation
from bot.storage.models import Conversation, Message
from bot.turn import LISTENING
from tests.stack.conftest import RATE_LIMIT, Enrolled, post, stack_settings


def transcript(stack: Stack, client_id: str) -> list[tuple[str, str, str]]:
    """(sender, status, text) of every stored message of the client, oldest first."""
    with session_scope(stack.settings.app_database_url) as session:
        rows = session.execute(
            select(Message.sender, Message.status, Message.text)
            .join(Conversation)
            .where(Conversation.client_id == client_id)
            .order_by(Message.id)
        )
        return [tuple(row) for row in rows]


def raw_post(stack: Stack, client: Enrolled, body: bytes) -> httpx.Response:
    return httpx.post(
        f"{stack.settings.entry_url}/v1/messages",
        content=body,
        headers={"Authorization": f"Bearer {client.token}", "Content-Type": "application/json"},
        timeout=60,
    )


def test_a_message_and_the_replies_are_stored(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("stored")
    response = post(stack, client, "hello")
    assert response.status_code == 200
    replies = [r["text"] for r in response.json()["replies"]]
    assert replies, "the assistant answers a greeting"
    assert transcript(stack, "stored") == [("client", "accepted", "hello")] + [
        ("bot", "accepted", text) for text in replies
    ]


def test_empty_and_blank_messages_are_refused(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("blank")
    for text in ["", "   ", "\n\t "]:
        response = post(stack, client, text)
        assert response.status_code == 422
        assert response.json()["error"] == "empty_message"
    assert transcript(stack, "blank") == []
    assert post(stack, client, "hi").status_code == 200


def test_a_message_over_the_limit_is_kept_and_refused_with_413(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("long")
    limit = stack.settings.max_message_bytes
    texts = ["a" * (limit + 1), "é" * (limit // 2 + 1), "🙂" * (limit // 4 + 1)]
    for text in texts:
        response = post(stack, client, text)
        assert response.status_code == 413
        assert response.json()["error"] == "message_too_large"
        assert str(limit) in response.json()["detail"]
    # Kept, not dropped unread: the client's words are in the transcript, marked.
    assert transcript(stack, "long") == [("client", "too_large", text) for text in texts]
    huge = json.dumps({"client_id": "long", "text": "x" * 2_000_000}).encode()
    assert raw_post(stack, client, huge).status_code == 413
    assert len(transcript(stack, "long")) == len(texts), "beyond what is read, nothing is stored"
    at_limit = post(stack, client, "a" * limit)
    assert at_limit.status_code == 200
    assert transcript(stack, "long")[len(texts)] == ("client", "accepted", "a" * limit)


def test_a_crisis_in_a_message_over_the_limit_is_answered_and_escalated(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("longcrisis")
    day = "Today I tidied the kitchen and walked the dog along the canal. "
    text = day * (stack.settings.max_message_bytes // len(day) + 10)
    text += "I have saved up my pills and I am going to take them all tonight."
    assert len(text.encode()) > stack.settings.max_message_bytes
    response = post(stack, client, text)
    assert response.status_code == 200
    replies = " ".join(reply["text"] for reply in response.json()["replies"]).lower()
    assert "are you safe right now?" in replies, replies
    assert transcript(stack, "longcrisis")[0] == ("client", "accepted", text)
    with session_scope(stack.settings.app_database_url) as session:
        assert active_escalation(session, "longcrisis") is not None


def test_malformed_json_gets_400_and_bad_shapes_422(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("shapes")
    for body in [b"{not json", b'{"client_id": "shapes", "text": "hi"', b"\xff\xfe\x00", b""]:
        response = raw_post(stack, client, body)
        assert response.status_code == 400, body
        assert response.json()["error"] == "malformed_json"
    for payload in [[], {"client_id": "shapes"}, {"client_id": "shapes", "text": 5}, "hi"]:
        response = raw_post(stack, client, json.dumps(payload).encode())
        assert response.status_code == 422, payload
        assert response.json()["error"] == "invalid_request"
    assert transcript(stack, "shapes") == []


def test_unknown_clients_and_wrong_tokens_are_refused_alike(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    """Without a valid token, nothing tells whether a client id is enrolled."""
    client = enrol("known")
    unknown = post(stack, Enrolled("nobody-here", client.token), "hello")
    wrong = post(stack, Enrolled("known", "not-the-token"), "hello")
    no_header = httpx.post(
        f"{stack.settings.entry_url}/v1/messages", json={"client_id": "known", "text": "hi"}
    )
    unknown_no_header = httpx.post(
        f"{stack.settings.entry_url}/v1/messages", json={"client_id": "nobody-here", "text": "hi"}
    )
    refusals = [unknown, wrong, no_header, unknown_no_header]
    assert {r.status_code for r in refusals} == {401}
    assert len({r.content for r in refusals}) == 1
    assert wrong.json()["error"] == "unauthorized"
    for client_id in ["known", "nobody-here"]:  # polling the chat is refused the same way
        polled = httpx.get(
            f"{stack.settings.entry_url}/v1/messages",
            params={"client_id": client_id},
            headers={"Authorization": f"Bearer {client.token}x"},
        )
        assert (polled.status_code, polled.content) == (401, wrong.content)
    assert transcript(stack, "known") == []


def test_a_flood_is_limited_with_429_and_kept(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client, neighbour = enrol("flood"), enrol("neighbour")
    statuses = [post(stack, client, f"message {n}").status_code for n in range(RATE_LIMIT)]
    assert statuses == [200] * RATE_LIMIT
    limited = post(stack, client, "one too many")
    assert limited.status_code == 429
    assert limited.json()["error"] == "rate_limited"
    # Until the first of the burst leaves the window of RATE_LIMIT x 60 s (to the second).
    assert 0 < int(limited.headers["Retry-After"]) <= RATE_LIMIT * 60 + 1
    assert ("client", "rate_limited", "one too many") in transcript(stack, "flood")
    # The limit is per client: others are not held back by a flood.
    assert post(stack, neighbour, "hello").status_code == 200


def test_when_rasa_is_down_the_message_is_kept_and_503_says_so(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("offline")
    closed_port = stack_settings(stack.settings.var_dir).rasa_port
    entry_only = Stack(
        stack_settings(stack.settings.var_dir, rasa_port=closed_port, rasa_timeout_s=5.0),
        stack.model,
    )
    entry_only.start(only=("entry",))
    try:
        response = post(entry_only, client, "are you there?")
    finally:
        entry_only.stop()
    assert response.status_code == 503
    assert response.json()["error"] == "assistant_unavailable"
    assert transcript(stack, "offline") == [("client", "undelivered", "are you there?")]


def test_a_message_rasa_has_no_answer_for_still_gets_a_reply(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("yes-to-nothing")
    lines = ["grounding please", "a lamp", "traffic", "my jumper", "coffee", "mint", "no"]
    for text in lines:
        assert post(stack, client, text).status_code == 200
    # A "yes" after turning down what comes next: Rasa's policies answer with nothing.
    replies = post(stack, client, "yes").json()["replies"]
    assert [r["text"] for r in replies] == [LISTENING]
