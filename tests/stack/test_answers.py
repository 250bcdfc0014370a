"""Answers that say "stop", "leave", "quit" or "end" about something else are kept as answers,
in every form, through `reflect chat` and the whole stack; a real request to stop still stops.

The answers are in tests/data/conversation/answers_with_stop_words.yml, in runs as long as each
form. Every run is a new client, so nothing one run says changes what the next is offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import yaml
from sqlalchemy import select

from actions.base import parse_scale
from actions.exercises import EXERCISES, as_text
from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.models import MoodRating, SafetyPlan
from bot.storage.readiness import set_growth_setting
from bot.storage.safety_plans import PARTS
from tests.conftest import PROJECT_DIR
from tests.stack.conftest import Enrolled
from tests.stack.test_journeys import CHECK_IN, entries, talk

ANSWERS: dict[str, list[str]] = yaml.safe_load(
    (PROJECT_DIR / "tests/data/conversation/answers_with_stop_words.yml").read_text()
)
# What the client says to open each form.
OPENING = {
    "grounding_form": ["grounding please"],
    "breathing_form": ["breathing please"],
    "safe_place_form": ["safe place please"],
    "values_form": ["values please"],
    "gratitude_form": ["three good things"],
    "narrative_form": ["my story"],
    "self_compassion_form": ["self compassion"],
    "meaning_form": ["looking back looking on"],
    "ptg_form": [*CHECK_IN, "Two-weekly reflection check-in"],
}
STOPPED = "we'll stop here"


def runs(form: str, length: int) -> list[list[str]]:
    answers = ANSWERS[form]
    assert len(answers) % length == 0, f"{form}: {len(answers)} answers in runs of {length}"
    return [answers[at : at + length] for at in range(0, len(answers), length)]


def kept(form: str, slot: str, answer: str) -> str:
    """The answer as the entry keeps it: a number on a scale, otherwise the words."""
    top = dict(EXERCISES[form].scales).get(slot)
    return answer if top is None else as_text(parse_scale(answer, top))


@pytest.mark.parametrize("form", list(OPENING))
def test_exercise_answers_with_stopping_words_are_kept(
    form: str, stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    exercise = EXERCISES[form]
    asked = [s for s in exercise.slots if s != "value_followup"]  # new clients: no last step
    for n, run in enumerate(runs(form, len(asked))):
        client = enrol(f"{exercise.name}-{n}")
        if form == "meaning_form":
            with session_scope(stack.settings.app_database_url) as session:
                set_growth_setting(session, client.client_id, "on")
        out = talk(stack, client, [*OPENING[form], *run])
        assert STOPPED not in out, (run, out)
        saved = entries(stack, client.client_id)
        assert [e.completed for e in saved] == [True], (run, out)
        (entry,) = saved
        assert entry.answers == [kept(form, s, a) for s, a in zip(asked, run, strict=True)]


def test_check_in_answers_with_stopping_words_are_kept(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    for n, (score, word) in enumerate(runs("checkin_form", 2)):
        client = enrol(f"checkin-{n}")
        out = talk(stack, client, ["hi", score, word])
        assert STOPPED not in out, (score, word, out)
        with session_scope(stack.settings.app_database_url) as session:
            rating = session.scalars(
                select(MoodRating).where(MoodRating.client_id == client.client_id)
            ).one()
            assert (rating.score, rating.word) == (parse_scale(score, 10), word)


def test_safety_plan_answers_with_stopping_words_are_kept(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    for n, run in enumerate(runs("safety_plan_form", len(PARTS))):
        client = enrol(f"plan-{n}")
        out = talk(stack, client, ["can we do my safety plan", *run])
        assert "saved your safety plan" in out, (run, out)
        with session_scope(stack.settings.app_database_url) as session:
            plan = session.get(SafetyPlan, client.client_id)
            assert [getattr(plan, part) for part in PARTS] == run


def test_the_issues_own_answers_are_kept(stack: Stack, enrol: Callable[..., Enrolled]) -> None:
    client = enrol("issue-values")
    said = ["health", "I want to stop drinking every night", "4", "leave at 6 on wednesday"]
    out = talk(stack, client, ["values please", *said])
    assert STOPPED not in out
    (entry,) = entries(stack, client.client_id)
    assert (entry.completed, entry.answers) == (True, said)


@pytest.mark.parametrize(
    "request_to_stop",
    ["stop", "can we stop here", "can we end this exercise", "let's leave it there", "quit"],
)
def test_a_request_to_stop_still_stops_and_keeps_what_was_written(
    request_to_stop: str, stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("stopper-" + re.sub(r"[^a-z]+", "-", request_to_stop.lower()))
    out = talk(stack, client, ["grounding please", "the stop sign outside", request_to_stop])
    assert STOPPED in out
    (entry,) = entries(stack, client.client_id)
    assert (entry.completed, entry.answers) == (False, ["the stop sign outside"])
