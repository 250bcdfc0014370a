"""Saying "keep that private" or "you can share that" changes the entry, and says what changed."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.about import ActionWhatIAm
from actions.journal import ActionSaveEntry
from actions.sharing import ActionChangeSharing
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.journal import Answer, entries_for
from bot.storage.models import Client
from tests.actions.helpers import Act, form_events, responses, store_entry


def said(intent: str) -> dict[str, Any]:
    return {"intent": {"name": intent, "confidence": 0.99}, "text": "..."}


def shared_now(db_url: str) -> list[bool]:
    with session_scope(db_url) as session:
        return [e.shared_with_therapist for e in entries_for(session, "sam")]


async def test_keep_that_private_makes_the_entry_just_saved_private(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    store_entry(db_url, "breathing", [Answer("p", "calmer")], completed=True)
    store_entry(db_url, "safe_place", [Answer("p", "the beach")], completed=True)
    tracker = act.tracker(latest_message=said("keep_private"))
    assert await act.run(ActionChangeSharing(), tracker) == []
    assert shared_now(db_url) == [True, False]
    assert responses(act.dispatcher) == ["utter_sharing_now_private"]
    assert act.dispatcher.messages[0]["title"] == "A safe place"

    again = CollectingDispatcher()
    await act.run(ActionChangeSharing(), tracker, dispatcher=again)
    assert responses(again) == ["utter_sharing_already_private"]

    back = CollectingDispatcher()
    await act.run(ActionChangeSharing(), dispatcher=back, latest_message=said("allow_sharing"))
    assert shared_now(db_url) == [True, True]
    assert responses(back) == ["utter_sharing_now_shared"]


@pytest.mark.parametrize(
    "text",
    [
        "I'm not comfortable with my therapist seeing that",
        "i'd rather my therapist didn't read that entry",
        "can my therapist not see this one",
    ],
)
async def test_a_wish_to_share_worded_with_a_negation_is_asked_about_not_acted_on(
    text: str, db_url: str, enrolled_client: Client, act: Act
) -> None:
    store_entry(db_url, "breathing", [Answer("p", "calmer")], completed=True, shared=False)
    misread = {"intent": {"name": "allow_sharing", "confidence": 0.95}, "text": text}
    await act.run(ActionChangeSharing(), latest_message=misread)
    assert responses(act.dispatcher) == ["utter_sharing_which"]
    assert shared_now(db_url) == [False]


async def test_with_no_entry_it_says_there_is_nothing_to_change_and_how_sharing_works(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    await act.run(ActionChangeSharing(), latest_message=said("keep_private"))
    assert responses(act.dispatcher) == ["utter_sharing_nothing_to_change"]
    assert act.dispatcher.messages[0]["default"] == "shared with your therapist"


async def test_an_entry_kept_at_risk_for_the_clinician_is_not_made_private(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    store_entry(db_url, "narrative", [Answer("p", "x")], completed=False, at_risk=True)
    await act.run(ActionChangeSharing(), latest_message=said("keep_private"))
    assert shared_now(db_url) == [True]
    assert responses(act.dispatcher) == ["utter_sharing_nothing_to_change"]


@pytest.mark.parametrize(
    ("intent", "value", "reply", "saved_as"),
    [
        ("keep_private", "private", "utter_sharing_will_be_private", "utter_entry_private"),
        ("allow_sharing", "shared", "utter_sharing_will_be_shared", "utter_entry_shared"),
    ],
)
async def test_said_during_an_exercise_it_applies_to_the_entry_when_saved(
    intent: str, value: str, reply: str, saved_as: str, db_url: str, act: Act
) -> None:
    with session_scope(db_url) as session:  # private by default, unlike enrolled_client
        add_client(session, "Sam", client_id="sam")
    events = await act.run(
        ActionChangeSharing(), active_loop="grounding_form", latest_message=said(intent)
    )
    assert events == [SlotSet("entry_sharing", value)]
    assert responses(act.dispatcher) == [reply]

    answers = {"sense_see": "the lamp"}
    saved = CollectingDispatcher()
    events = await act.run(
        ActionSaveEntry(),
        dispatcher=saved,
        slots={**answers, "entry_sharing": value},
        events=form_events("grounding_form", answers),
    )
    assert SlotSet("entry_sharing", None) in events
    assert shared_now(db_url) == [value == "shared"]
    assert responses(saved)[-2:] == [saved_as, "utter_what_next"]


@pytest.mark.parametrize(
    ("locale", "line", "absent"), [("UK", "116 123", "988"), ("US", "988", "116 123")]
)
async def test_are_you_a_bot_gives_the_clients_own_crisis_lines(
    locale: str, line: str, absent: str, db_url: str, act: Act
) -> None:
    with session_scope(db_url) as session:
        add_client(session, "Alex", client_id="alex", locale=locale)
    await act.run(ActionWhatIAm(), sender_id="alex")
    (message,) = act.dispatcher.messages
    assert message["response"] == "utter_what_i_am"
    assert line in message["lines"] and absent not in message["lines"]
