"""`reflect chat` against the running stack: a scripted gratitude conversation, piped in."""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from tests.stack.conftest import Enrolled, chat

GRATITUDE_ANSWERS = [
    "my sister called me out of the blue",
    "i felt less alone for a while",
    "had coffee on the balcony in the sun",
    "it was quiet and warm and nobody needed anything from me",
    "finished the book i started months ago",
    "it showed me i can still focus on something",
    "the call, i can still hear her laugh",
]
CONVERSATION = ["hi", "6", "tired but steady", "yes", *GRATITUDE_ANSWERS]


def test_a_piped_gratitude_conversation_saves_the_entry(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("piped", share=True)
    result = chat(stack, client, CONVERSATION)
    assert result.returncode == 0, result.stderr
    assert "Today you noted: my sister called me out of the blue; " in result.stdout
    assert "your therapist can read it" in result.stdout

    with session_scope(stack.settings.app_database_url) as session:
        (entry,) = entries_for(session, "piped")
        assert entry.exercise == "gratitude"
        assert entry.completed is True
        assert entry.shared_with_therapist is True
        assert [item.answer for item in entry.items] == GRATITUDE_ANSWERS
        assert entry.items[0].prompt.startswith("What's one thing")
        assert all(item.answered_at is not None for item in entry.items)


def test_json_mode_prints_one_reply_per_line(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("jsonl")
    result = chat(stack, client, ["hello", "are you a human?"], "--json")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(isinstance(r["text"], str) for r in replies)
    assert any("not a person" in r["text"] for r in replies)


def test_saying_stop_ends_the_exercise_and_keeps_what_was_written(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("stopper")
    result = chat(stack, client, ["gratitude please", "a long walk by the river", "stop"])
    assert result.returncode == 0, result.stderr
    assert "we'll stop here" in result.stdout
    with session_scope(stack.settings.app_database_url) as session:
        (entry,) = entries_for(session, "stopper")
        assert entry.completed is False
        assert [item.answer for item in entry.items] == ["a long walk by the river"]


def test_errors_are_reported_and_the_chat_goes_on(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("errs")
    too_long = "x" * (stack.settings.max_message_bytes + 1)
    result = chat(stack, client, [too_long, "are you a therapist?"])
    assert result.returncode == 1
    assert "message_too_large" in result.stderr
    assert "not a therapist" in result.stdout
