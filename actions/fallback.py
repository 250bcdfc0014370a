"""The first stage of the two-stage fallback: check the best guess in plain words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.safety import utter_checked

# How each intent is put to the client when the assistant is unsure it understood.
INTENT_LABELS = {
    "greet": "saying hello",
    "goodbye": "ending for today",
    "thank": "saying thanks",
    "affirm": "yes",
    "deny": "no",
    "stop": "stopping what we're doing",
    "bot_challenge": "asking what I am",
    "ask_capabilities": "asking what I can do",
    "request_exercise": "doing an exercise",
    "choose_gratitude": "the gratitude exercise",
    "choose_grounding": "the five senses grounding exercise",
    "choose_breathing": "slow breathing",
    "choose_safe_place": "picturing a safe place",
    "choose_values": "the exercise about what matters to you",
    "choose_narrative": "writing about this chapter of your story",
    "choose_self_compassion": "the kind word exercise",
    "choose_meaning": "looking back on what has changed",
    "choose_ptg": "the two-weekly reflection check-in",
    "choose_free_writing": "just writing, without questions",
    "choose_strengths": "the exercise about what carries you",
    "choose_boundaries": "the exercise about a need and a boundary",
    "choose_life_review": "looking over the chapters of your life",
    "choose_body_scan": "a slow body scan",
    "resume_exercise": "picking up an exercise from last time",
    "share": "writing about your day",
    "request_human": "talking with a person from your care team",
    "not_urgent": "saying your request for a person can wait",
    "make_safety_plan": "your safety plan",
    "keep_private": "keeping your entry private from your therapist",
    "allow_sharing": "sharing your entry with your therapist",
}


def best_guess(intent_ranking: list[dict[str, Any]]) -> str | None:
    """The most likely intent that can be put in plain words."""
    for candidate in intent_ranking:
        if candidate.get("name") in INTENT_LABELS:
            return candidate["name"]
    return None


class ActionAskAffirmation(Action):
    """Replaces Rasa's default, which would show the client an internal intent name."""

    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        guess = best_guess(tracker.latest_message.get("intent_ranking", []))
        if guess is None:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        utter_checked(
            dispatcher,
            tracker,
            domain,
            response="utter_ask_affirmation",
            guess=INTENT_LABELS[guess],
            buttons=[
                {"title": "Yes", "payload": f"/{guess}"},
                {"title": "No, something else", "payload": "/out_of_scope"},
            ],
        )
        return []
