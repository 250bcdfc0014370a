"""The pure readiness rules: distress first, then the therapist's setting, then the signals."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from actions.exercises import offered_at
from bot.readiness import Signals, allows, assess, count_markers, ptg_due

STEADY = Signals(
    risk_level="none",
    mood_now=7.0,
    recent_moods=(6.0, 7.0, 6.0, 7.0),
    coping_mentions=2,
    grounding_done=1,
    prompts_answered=12,
    prompts_skipped=1,
    change_mentions=1,
    sessions=5,
    exercises_completed=4,
)


@pytest.mark.parametrize(
    ("signals", "reason"),
    [
        (Signals(risk_level="crisis", mood_now=8.0), "the safety check noted crisis"),
        (Signals(risk_level="concern"), "the safety check noted concern"),
        (Signals(mood_now=3.0), "today's mood rating is low (3/10)"),
        (Signals(recent_moods=(8.0, 7.0, 4.0, 4.0)), "mood ratings have been falling"),
        (
            Signals(risk_level="none", risk_earlier_in_conversation=True),
            "the safety check noted distress earlier in this conversation",
        ),
        (
            Signals(risk_level="none", last_crisis_at=datetime(2026, 11, 24, tzinfo=timezone.utc)),
            "there was a crisis on 2026-11-24, within the last week",
        ),
    ],
)
def test_any_sign_of_distress_means_stabilizing(signals: Signals, reason: str) -> None:
    readiness = assess(signals)
    assert readiness.level == "stabilize"
    assert any(r.startswith(reason) for r in readiness.reasons)


def test_distress_wins_over_a_strong_history_and_the_therapist_turning_growth_on() -> None:
    upset = Signals(**{**STEADY.__dict__, "risk_level": "concern"})
    assert assess(upset).level == "stabilize"
    assert assess(upset, "on").level == "stabilize"


def test_without_distress_a_new_client_may_explore_and_is_told_what_is_not_yet_shown() -> None:
    readiness = assess(Signals(mood_now=6.0))
    assert readiness.level == "explore"
    assert "no signs of distress" in readiness.reasons
    assert "no safety-check result yet" in readiness.reasons
    assert "not yet shown: engagement" in readiness.reasons


def test_growth_needs_every_indicator() -> None:
    readiness = assess(STEADY)
    assert readiness.level == "grow"
    assert [r.split(":")[0] for r in readiness.reasons[1:]] == [
        "emotional regulation",
        "healthy coping",
        "openness",
        "behavioural change",
        "engagement",
    ]
    skips_a_lot = Signals(**{**STEADY.__dict__, "prompts_skipped": 10})
    assert assess(skips_a_lot).level == "explore"
    assert "not yet shown: openness" in assess(skips_a_lot).reasons


def test_the_therapist_can_turn_growth_prompts_off_whatever_the_signals() -> None:
    readiness = assess(STEADY, "off")
    assert readiness.level == "stabilize"
    assert readiness.reasons[0] == "the therapist has turned growth prompts off"


def test_the_therapist_can_turn_growth_prompts_on_for_a_client_without_distress() -> None:
    readiness = assess(Signals(mood_now=6.0, risk_level="none"), "on")
    assert readiness.level == "grow"
    assert readiness.reasons == ("the therapist has turned growth prompts on",)


@pytest.mark.parametrize(
    ("level", "names"),
    [
        ("stabilize", ["grounding", "breathing", "safe_place", "free_writing", "body_scan"]),
        (
            "explore",
            [
                "grounding",
                "breathing",
                "safe_place",
                "values",
                "gratitude",
                "narrative",
                "self_compassion",
                "free_writing",
                "strengths",
                "boundaries",
                "body_scan",
            ],
        ),
        (
            "grow",
            [
                "grounding",
                "breathing",
                "safe_place",
                "values",
                "gratitude",
                "narrative",
                "self_compassion",
                "meaning",
                "free_writing",
                "strengths",
                "boundaries",
                "life_review",
                "body_scan",
            ],
        ),
        ("unknown", ["grounding", "breathing", "safe_place", "free_writing", "body_scan"]),
    ],
)
def test_each_level_opens_its_exercises(level: str, names: list[str]) -> None:
    assert [e.name for e in offered_at(level)] == names


def test_the_reflection_check_in_needs_explore() -> None:
    assert not allows("stabilize", "explore")
    assert allows("explore", "explore")
    assert allows("grow", "explore")


def test_markers_are_counted_once_per_text() -> None:
    texts = ["I set a BOUNDARY with my mum and said no", "went for a walk", "nothing"]
    assert count_markers(texts, ("boundar", "said no")) == 1


def test_the_reflection_check_in_is_due_every_two_weeks_at_most() -> None:
    now = datetime(2026, 11, 26, tzinfo=timezone.utc)
    assert ptg_due(None, now)
    assert not ptg_due(now - timedelta(days=13, hours=23), now)
    assert ptg_due(now - timedelta(days=14), now)
