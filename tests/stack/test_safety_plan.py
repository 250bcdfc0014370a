"""The safety plan through the chat, then shown back to the client in a crisis."""

from __future__ import annotations

from collections.abc import Callable

from bot.stack import Stack
from tests.stack.conftest import Enrolled, post
from tests.stack.test_escalation import CRISIS, reflect, texts

PLAN = [
    "i stop answering my phone and stay in bed",
    "a cold shower and walking the dog",
    "the library near my flat",
    "my sister ana",
    "dr rivera at the clinic",
    "keep the lights on and the radio playing",
]


def test_a_plan_made_in_the_chat_is_shown_in_a_crisis_and_to_the_therapist(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("planner")
    intro = texts(post(stack, client, "can we do my safety plan").json())
    assert "safety plan" in intro
    for answer in PLAN:
        reply = post(stack, client, answer)
        assert reply.status_code == 200
    assert "saved your safety plan" in texts(reply.json())

    crisis = texts(post(stack, client, CRISIS).json())
    assert "Your safety plan, in your own words" in crisis
    assert "What helps you cope: a cold shower and walking the dog" in crisis
    assert "People you can ask for help: my sister ana" in crisis

    shown = reflect(stack, "client", "safety-plan", "planner")
    assert "Making your surroundings safer: keep the lights on and the radio playing" in shown
