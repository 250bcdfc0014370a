"""Run-time texts of actions pass the output rail before they are sent."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.safety import rendered, utter_checked
from tests.actions.conftest import MakeTracker


def test_placeholders_are_filled_as_rasa_fills_them(domain: dict[str, Any]) -> None:
    text = rendered(domain, "utter_summary_gratitude", {"summary": "a walk; soup"})
    assert "a walk; soup" in text and "{" not in text


async def test_a_minimising_text_is_replaced_by_a_validating_one(
    make_tracker: MakeTracker, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "Look on the bright side: at least it wasn't worse."
    assert not utter_checked(dispatcher, make_tracker(), domain, text=text)
    (message,) = dispatcher.messages
    assert message["text"] and message["text"] != text


async def test_a_gratitude_prompt_waits_for_a_calmer_moment(
    make_tracker: MakeTracker, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    prompt = "What are you grateful for today?"
    assert not utter_checked(
        dispatcher, make_tracker(slots={"risk_level": "concern"}), domain, text=prompt
    )
    assert utter_checked(
        dispatcher, make_tracker(slots={"risk_level": "none"}), domain, text=prompt
    )
    assert [m["text"] for m in dispatcher.messages][1] == prompt


async def test_an_allowed_response_goes_out_as_the_response(
    make_tracker: MakeTracker, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    assert utter_checked(
        dispatcher, make_tracker(), domain, response="utter_summary_gratitude", summary="a walk"
    )
    (message,) = dispatcher.messages
    assert (message["response"], message["summary"]) == ("utter_summary_gratitude", "a walk")
