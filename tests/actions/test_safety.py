"""Run-time texts of actions pass the output rail before they are sent."""

from __future__ import annotations

from typing import Any

from actions.safety import rendered, utter_checked
from tests.actions.helpers import Act


def test_placeholders_are_filled_as_rasa_fills_them(domain: dict[str, Any]) -> None:
    text = rendered(domain, "utter_summary_gratitude", {"summary": "a walk; soup"})
    assert "a walk; soup" in text and "{" not in text


async def test_a_minimising_text_is_replaced_by_a_validating_one(act: Act) -> None:
    text = "Look on the bright side: at least it wasn't worse."
    assert not utter_checked(act.dispatcher, act.tracker(), act.domain, text=text)
    (message,) = act.dispatcher.messages
    assert message["text"] and message["text"] != text


async def test_a_gratitude_prompt_waits_for_a_calmer_moment(act: Act) -> None:
    prompt = "What are you grateful for today?"
    concern = act.tracker(slots={"risk_level": "concern"})
    calm = act.tracker(slots={"risk_level": "none"})
    assert not utter_checked(act.dispatcher, concern, act.domain, text=prompt)
    assert utter_checked(act.dispatcher, calm, act.domain, text=prompt)
    assert [m["text"] for m in act.dispatcher.messages][1] == prompt


async def test_an_allowed_response_goes_out_as_the_response(act: Act) -> None:
    assert utter_checked(
        act.dispatcher,
        act.tracker(),
        act.domain,
        response="utter_summary_gratitude",
        summary="a walk",
    )
    (message,) = act.dispatcher.messages
    assert (message["response"], message["summary"]) == ("utter_summary_gratitude", "a walk")
