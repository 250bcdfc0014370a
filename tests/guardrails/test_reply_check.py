"""The learned reply check beside the rules (check_free_text), its taxonomy and its data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrails import ReplyVerdict, check_free_text, check_reply
from guardrails.reply_pairs import read_pairs, reply_rounds, training_pairs
from guardrails.reply_taxonomy import reply_taxonomy
from guardrails.rulefiles import RuleFileError


@pytest.mark.parametrize(
    "text",
    [
        "Honestly, you'll feel like yourself again in a couple of weeks, so try not to dwell.",
        "This hardship is shaping you into someone wiser, and one day you will be glad of it.",
        "Plenty of folks would trade places with you in a heartbeat.",
        "Why not write down three blessings instead of going over it again?",
    ],
)
def test_replies_that_dismiss_pain_are_caught_beyond_the_rules(text: str) -> None:
    verdict = check_free_text(text, "none")
    assert verdict.verdict == "block"
    assert any(reason.startswith("model:") for reason in verdict.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "it makes sense that you're exhausted; we can go slowly",
        "That sounds frightening. I'm staying right here with you.",
        "You don't owe anyone a brave face tonight.",
        "Would it help to breathe together for a minute, or would you rather just talk?",
    ],
)
def test_validating_and_honestly_hopeful_replies_pass(text: str) -> None:
    for level in (None, "none", "concern", "crisis"):
        assert check_free_text(text, level) == ReplyVerdict("allow", ())


def test_a_growth_question_waits_for_a_steady_client() -> None:
    question = "What is one thing this week that you feel quietly proud of?"
    assert check_free_text(question, "none").verdict == "allow"
    assert check_free_text(question, "concern").verdict == "block"


def test_the_rules_verdict_is_kept_in_the_free_text_check() -> None:
    ruled = check_reply("Everything happens for a reason.")
    assert set(ruled.reasons) <= set(check_free_text("Everything happens for a reason.").reasons)


def test_every_round_reads_and_every_category_has_training_pairs() -> None:
    rounds = reply_rounds()
    assert rounds and all(r.path.is_file() for r in rounds)
    categories = {p.category for p in training_pairs(rounds)}
    assert categories == set(reply_taxonomy().categories)


def test_a_pair_with_an_unknown_key_or_category_is_refused(tmp_path: Path) -> None:
    good = {
        "id": "x-1",
        "client": "rough day",
        "client_state": "steady",
        "reply": "Thanks for telling me.",
        "category": "warm_presence",
        "voice": "a friend",
    }
    for bad in ({**good, "mood": "low"}, {**good, "category": "cheerleading"}):
        path = tmp_path / "round.jsonl"
        path.write_text(json.dumps(bad) + "\n")
        with pytest.raises((ValueError, RuleFileError)):
            read_pairs(path)
