"""The first stage of the two-stage fallback."""

from __future__ import annotations

from typing import Any

from actions.fallback import INTENT_LABELS, ActionAskAffirmation, best_guess
from tests.actions.helpers import Act, responses


def test_the_guess_skips_intents_without_plain_words() -> None:
    ranking = [{"name": "nlu_fallback"}, {"name": "out_of_scope"}, {"name": "choose_gratitude"}]
    assert best_guess(ranking) == "choose_gratitude"
    assert best_guess([{"name": "nlu_fallback"}]) is None


def test_every_intent_a_client_can_mean_has_a_label(domain: dict[str, Any]) -> None:
    # crisis and distress (the risk component) and start_over (the interjection reader) are set
    # by reading the text, never guessed at, so never offered.
    never_guessed = {"out_of_scope", "crisis", "distress", "start_over"}
    assert set(domain["intents"]) - never_guessed == set(INTENT_LABELS)


async def test_the_client_is_asked_in_plain_words_with_buttons(act: Act) -> None:
    ranking = [{"name": "nlu_fallback"}, {"name": "stop"}]
    await act.run(ActionAskAffirmation(), latest_message={"intent_ranking": ranking})
    (message,) = act.dispatcher.messages
    assert message["response"] == "utter_ask_affirmation"
    assert message["guess"] == "stopping what we're doing"
    assert [b["payload"] for b in message["buttons"]] == ["/stop", "/out_of_scope"]


async def test_with_no_guess_the_client_is_asked_to_rephrase(act: Act) -> None:
    await act.run(ActionAskAffirmation())
    assert responses(act.dispatcher) == ["utter_ask_rephrase"]
