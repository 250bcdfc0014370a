"""Conversations through `reflect chat`: sharing changed by saying so, a mood rating kept once,
the client's own crisis lines, skipping in the reflection check-in, halves, "nothing else", and
a grounding summary that leaves no sense out."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.models import Client, MoodRating
from bot.storage.ptg import ptg_trend
from tests.stack.conftest import Enrolled
from tests.stack.test_journeys import CHECK_IN, entries, talk

SENSES = ["the blue mug", "a car outside", "the blanket on my knees", "coffee", "mint"]


def moods(stack: Stack, client_id: str) -> list[tuple[float, str | None]]:
    with session_scope(stack.settings.app_database_url) as session:
        rows = session.scalars(select(MoodRating).where(MoodRating.client_id == client_id))
        return [(r.score, r.word) for r in rows]


def test_the_client_changes_sharing_by_saying_so_and_is_told_what_changed(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("sharer", share=True)
    out = talk(stack, client, ["grounding please", *SENSES])
    assert "your therapist can read it" in out
    out = talk(stack, client, ["Don't share that with my therapist"])
    assert "private now: your therapist can't read it" in out
    assert "completely fine" not in out
    assert [e.shared for e in entries(stack, "sharer")] == [False]
    out = talk(stack, client, ["actually you can share that"])
    assert "Your therapist can now read your entry from the Five senses exercise" in out
    assert [e.shared for e in entries(stack, "sharer")] == [True]


def test_keeping_an_exercise_private_while_doing_it(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("private-midway", share=True)
    out = talk(
        stack,
        client,
        ["safe place please", "the beach", "keep this one private", "warm sand", "calm"],
    )
    assert "When this exercise is saved, it will be private" in out
    assert "It stays private to you" in out
    (entry,) = entries(stack, "private-midway")
    assert (entry.shared, entry.answers) == (False, ["the beach", "warm sand", "calm"])


def test_with_nothing_written_yet_it_says_so_and_how_sharing_works(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("nothing-yet")
    out = talk(stack, client, ["keep that private"])
    assert "There's no saved entry from today that I could change" in out
    assert "Yours are private unless you say otherwise" in out


def test_a_mood_rating_is_stored_once_however_often_the_client_greets(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("greeter")
    talk(stack, client, ["hi", "6", "calm"])
    talk(stack, client, ["hello again", "Not now", "hi", "can we do an exercise"])
    assert moods(stack, "greeter") == [(6.0, "calm")]


def test_six_and_a_half_is_kept_as_six_and_a_half(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("halves")
    talk(stack, client, ["hi", "six and a half", "ok-ish"])
    assert moods(stack, "halves") == [(6.5, "ok-ish")]


def test_are_you_a_bot_gives_a_uk_client_uk_lines(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("uk-client")
    with session_scope(stack.settings.app_database_url) as session:
        session.get(Client, "uk-client").locale = "UK"
    out = talk(stack, client, ["are you a bot?"])
    assert "not a person" in out
    assert "Samaritans on 116 123" in out
    assert "988" not in out


def test_skip_is_accepted_in_the_reflection_check_in(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("ptg-skip")
    out = talk(
        stack, client, [*CHECK_IN, "Two-weekly reflection check-in", "3", "skip", "4", "2", "5"]
    )
    assert "skipping it is completely fine" in out
    assert "didn't catch a number" not in out
    assert "Your answers are kept with today's date" in out
    with session_scope(stack.settings.app_database_url) as session:
        (checkin,) = ptg_trend(session, "ptg-skip")
        assert [checkin.appreciation, checkin.relationships, checkin.strength] == [3, None, 4]


def test_nothing_else_really_is_not_saved_as_a_good_thing(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("grateful-for-one")
    out = talk(
        stack,
        client,
        [*CHECK_IN, "yes", "a warm shower", "i was cold", "nothing else really", "not really"],
    )
    assert "Why do you think that one happened" not in out
    assert "What did that one mean to you" not in out
    assert "stay with it for a moment" in out
    out = talk(stack, client, ["the warmth on my hands"])
    assert "Today you noted: a warm shower." in out
    (entry,) = entries(stack, "grateful-for-one")
    assert entry.answers == [
        "a warm shower",
        "i was cold",
        "(skipped)",
        "(skipped)",
        "the warmth on my hands",
    ]


def test_the_grounding_summary_names_every_sense_and_those_skipped(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("grounded")
    out = talk(
        stack, client, ["grounding please", "the lamp", "skip", "the sofa", "skip", "toothpaste"]
    )
    assert "You noticed: the lamp; the sofa; toothpaste. You let sound and smell pass." in out
