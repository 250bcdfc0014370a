"""Every exercise end to end through `reflect chat`, with readiness gating and resuming."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from bot.storage.ptg import ptg_trend
from bot.storage.readiness import snapshots_for
from tests.stack.conftest import REFLECT, Enrolled, chat

CHECK_IN = ["hi", "6", "a bit tired"]
# The offer's buttons at `stabilize`: grounding first, the other steadying choices, a way out.
STABILIZING_OFFER = [
    "Yes, let's try",
    "Slow breathing",
    "A safe place",
    "Just writing",
    "Body scan",
    "Not now",
]


def talk(stack: Stack, client: Enrolled, lines: list[str]) -> str:
    """Chats and returns everything the assistant said."""
    result = chat(stack, client, lines)
    assert result.returncode == 0, result.stderr
    return result.stdout


def replies(stack: Stack, client: Enrolled, lines: list[str]) -> list[dict[str, object]]:
    result = chat(stack, client, lines, "--json")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@dataclass(frozen=True)
class Saved:
    """A journal entry as read back from the stack's database."""

    exercise: str
    completed: bool
    resumed: bool
    slots: list[str | None]
    answers: list[str]
    shared: bool


def entries(stack: Stack, client_id: str) -> list[Saved]:
    with session_scope(stack.settings.app_database_url) as session:
        return [
            Saved(
                e.exercise,
                e.completed,
                e.resumed_at is not None,
                [i.slot for i in e.items],
                [i.answer for i in e.items],
                e.shared_with_therapist,
            )
            for e in entries_for(session, client_id)
        ]


def reflect_cli(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REFLECT_VAR_DIR": str(stack.settings.var_dir)}
    return subprocess.run(
        [REFLECT, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_a_low_check_in_offers_grounding_first_and_keeps_growth_prompts_closed(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("low")
    said = replies(stack, client, ["hi", "2", "shaky"])
    offer = said[-1]
    assert "each of your senses" in str(offer["text"])
    titles = [b["title"] for b in offer["buttons"]]  # type: ignore[union-attr]
    assert titles == STABILIZING_OFFER

    senses = ["the blue mug", "a car outside", "the blanket on my knees", "coffee", "mint"]
    out = talk(stack, client, ["three good things", "Five senses", *senses])
    assert "isn't open right now" in out
    assert "You noticed: the blue mug; a car outside; the blanket on my knees; coffee; mint." in out
    (entry,) = entries(stack, "low")
    assert (entry.exercise, entry.completed, entry.answers) == ("grounding", True, senses)
    with session_scope(stack.settings.app_database_url) as session:
        levels = [(s.level, reasons) for s, reasons in snapshots_for(session, "low")]
    assert levels[0] == ("stabilize", ["today's mood rating is low (2/10)"])


def test_breathing_is_counted_across_turns(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("breath")
    out = talk(stack, client, ["breathing please", "done", "done", "ok", "a bit looser"])
    for n in (1, 2, 3):
        assert f"Breath {n} of 3" in out
    assert "You noticed: a bit looser." in out
    (entry,) = entries(stack, "breath")
    assert entry.answers == ["done", "done", "ok", "a bit looser"]


def test_a_safe_place_end_to_end(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("safe")
    place = ["my grandmother's kitchen", "bread in the oven and the radio on", "warm and held"]
    out = talk(stack, client, ["safe place please", *place])
    assert "Thank you for sharing your safe place: my grandmother's kitchen." in out
    (entry,) = entries(stack, "safe")
    assert (entry.exercise, entry.answers) == ("safe_place", place)


def test_values_asks_next_time_how_the_step_went(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("values")
    first = ["friendships", "being someone who shows up", "about a 4", "text my friend jo back"]
    out = talk(stack, client, ["values please", *first])
    assert "Which part of life" in out
    assert "Last time" not in out
    second = ["i did it, awkward but fine", "health", "moving gently", "5", "two short walks"]
    out = talk(stack, client, ["values please", *second])
    assert 'Last time you chose a small step for the week: "text my friend jo back"' in out
    done, again = entries(stack, "values")
    assert done.answers == ["friendships", "being someone who shows up", "4", first[3]]
    assert again.slots[0] == "value_followup"
    assert again.answers == second


def test_gratitude_with_savoring_after_a_check_in(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("grateful")
    things = ["a warm shower", "i was cold", "soup", "i was hungry", "a text", "i felt seen"]
    out = talk(stack, client, [*CHECK_IN, "yes", *things, "the text, i read it twice"])
    assert "stay with it for a moment" in out
    assert "Today you noted: a warm shower; soup; a text." in out
    (entry,) = entries(stack, "grateful")
    assert entry.answers[-1] == "the text, i read it twice"


def test_the_story_can_be_stopped_and_continued_from_last_time(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("story")
    out = talk(stack, client, ["my story", "the long winter", "stop"])
    assert "we'll stop here" in out
    rest = ["asking my neighbour for help", "that i can reach out", "slower, with more people"]
    out = talk(stack, client, ["continue my story from last time", *rest])
    assert 'pick up where you left off in "My story"' in out
    assert "Your chapter: the long winter." in out
    partial, whole = entries(stack, "story")
    assert (partial.completed, partial.resumed) == (False, True)
    assert whole.completed is True
    assert whole.answers == ["the long winter", *rest]


def test_a_kind_word_end_to_end(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("kind")
    words = ["i snapped at my kid", "you were exhausted and you apologised", "maybe"]
    out = talk(stack, client, ["self compassion", *words])
    assert "The words you found for a friend were: you were exhausted and you apologised." in out
    (entry,) = entries(stack, "kind")
    assert entry.exercise == "self_compassion"


def test_meaning_making_opens_only_at_grow_here_by_the_therapist_turning_it_on(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("meaning")
    assert "isn't open right now" in talk(stack, client, ["life review"])
    assert reflect_cli(stack, "client", "growth", "meaning", "on").returncode == 0
    said = replies(stack, client, CHECK_IN)
    titles = [b["title"] for r in said for b in r["buttons"]]  # type: ignore[union-attr]
    assert "Looking back, looking on" in titles
    thoughts = ["i notice small things", "skip", "i trust myself more", "not sure", "quieter"]
    out = talk(stack, client, ["Looking back, looking on", *thoughts])
    assert "'nothing has changed' or 'I don't know' are real answers" in out
    assert "no right answers" in out
    (entry,) = entries(stack, "meaning")
    assert entry.answers[1] == "(skipped)"


def test_the_therapist_turning_growth_prompts_off_means_stabilizing(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("off")
    assert reflect_cli(stack, "client", "growth", "off", "off").returncode == 0
    out = talk(stack, client, ["hi", "9", "really good", "three good things"])
    assert "each of your senses" in out
    assert "isn't open right now" in out


def test_the_reflection_check_in_is_offered_once_and_shown_as_a_trend(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("ptg")
    out = talk(
        stack, client, [*CHECK_IN, "Two-weekly reflection check-in", "3", "0", "4", "2", "5"]
    )
    assert "not a test or a validated measure" in out
    assert "Your answers are kept with today's date" in out
    assert "two-weekly reflection check-in" not in talk(stack, client, ["hello", "7", "calm"])
    with session_scope(stack.settings.app_database_url) as session:
        (checkin,) = ptg_trend(session, "ptg")
        assert [checkin.appreciation, checkin.relationships, checkin.spiritual] == [3, 0, 5]
    trend = reflect_cli(stack, "client", "trend", "ptg")
    assert trend.returncode == 0, trend.stderr
    assert "not a validated measure" in trend.stdout
    assert trend.stdout.splitlines()[-1].split()[1:] == ["3", "0", "4", "2", "5"]


def test_a_crisis_mid_exercise_ends_it_and_keeps_what_was_written_for_the_clinician(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("crisis-story")
    crisis = "honestly i just want to end it all"
    out = talk(stack, client, ["my story", "the hard year", crisis])
    assert "are you safe right now?" in out and "on-call clinician" in out
    (entry,) = entries(stack, "crisis-story")
    assert (entry.exercise, entry.completed, entry.answers) == (
        "narrative",
        False,
        ["the hard year", crisis],
    )
    assert entry.slots == ["chapter_title", "strength_moment"]
    with session_scope(stack.settings.app_database_url) as session:
        (saved,) = entries_for(session, "crisis-story")
        assert saved.at_risk is True  # kept for the clinician, never resumed


def test_a_body_scan_is_open_at_once_like_grounding(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("body-scan")
    scan = ["warm, in socks", "skip", "tight shoulders", "slow", "a bit heavier, calmer"]
    out = talk(stack, client, ["body scan please", *scan])
    assert "Start with your feet" in out
    assert "You noticed: a bit heavier, calmer." in out
    assert [(e.exercise, e.completed) for e in entries(stack, "body-scan")] == [("body_scan", True)]


def test_what_carries_me_and_a_need_with_a_boundary_open_at_explore(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("carries")
    carries = ["my aunties", "cooking jollof on sundays", "the church hall", "call my aunt"]
    out = talk(stack, client, [*CHECK_IN, "what carries me", *carries])
    assert "What carries you: my aunties; cooking jollof on sundays; the church hall." in out
    need = [
        "rest after work",
        "no calls after 9",
        "i'm off the clock now, talk tomorrow",
        "my flatmate",
    ]
    out = talk(stack, client, ["the boundaries exercise", *need])
    assert "rest after work; i'm off the clock now, talk tomorrow" in out
    saved = [(e.exercise, e.completed) for e in entries(stack, "carries")]
    assert saved == [("strengths", True), ("boundaries", True)]


def test_chapters_of_a_life_open_only_at_grow(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("chapters")
    assert "isn't open right now" in talk(stack, client, [*CHECK_IN, "life review"])
    assert reflect_cli(stack, "client", "growth", "chapters", "on").returncode == 0
    chapters = ["school; leaving home; the hard years", "the move", "my sense of humour", "calm"]
    out = talk(stack, client, ["life review", *chapters])
    assert "Your chapters: school; leaving home; the hard years." in out
    saved = [(e.exercise, e.completed) for e in entries(stack, "chapters")]
    assert saved == [("life_review", True)]
