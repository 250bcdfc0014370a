"""Output rail: minimising replies are blocked, validation passes, pacing depends on context."""

from __future__ import annotations

import pytest

from guardrails import ReplyVerdict, check_reply, check_reply_to, replacement_for


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Look on the bright side, at least you learned something.", "silver_lining"),
        ("Everything happens for a reason.", "trauma_as_gift"),
        ("Others have it much worse than you.", "minimising_comparison"),
        ("At least you have a roof over your head.", "minimising_comparison"),
        ("Just stay positive!", "forced_positivity"),
        ("You should be grateful you're alive.", "forced_gratitude"),
        ("You shouldn't feel sad about this.", "prescribing_feelings"),
        ("What doesn't kill you makes you stronger.", "trauma_as_gift"),
        ("It might be a blessing in disguise.", "trauma_as_gift"),
        ("It's time to let it go.", "rushing_to_move_on"),
        ("You need to get over it.", "rushing_to_move_on"),
        ("Don't be so dramatic.", "invalidating_feelings"),
    ],
)
def test_minimising_and_toxic_positivity_are_blocked_on_any_day(text: str, reason: str) -> None:
    for user_level in (None, "none", "concern", "crisis"):
        verdict = check_reply(text, user_level)
        assert verdict.verdict == "block"
        assert reason in verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "What are you grateful for today?",
        "What have you learned from this experience?",
        "How has this helped you grow?",
        "Can you name three things you're thankful for?",
    ],
)
def test_growth_and_gratitude_prompts_wait_for_a_calm_day(text: str) -> None:
    assert check_reply(text, "concern").verdict == "block"
    assert check_reply(text, "crisis").verdict == "block"
    assert check_reply(text, "none").verdict == "allow"
    assert check_reply(text, None).verdict == "allow"


def test_gratitude_prompt_right_after_hopelessness_is_blocked() -> None:
    verdict = check_reply_to("What are you grateful for today?", "I feel hopeless")
    assert verdict == ReplyVerdict("block", ("gratitude_prompt",))


def test_same_gratitude_prompt_on_a_calm_day_passes() -> None:
    calm = "Today was a good day, I walked by the river."
    assert check_reply_to("What are you grateful for today?", calm).verdict == "allow"
    assert check_reply_to("What are you grateful for today?", None).verdict == "allow"


@pytest.mark.parametrize(
    "text",
    [
        "It's okay if gratitude feels out of reach",
        "At least for tonight, would rest help?",
        "You don't have to feel grateful right now.",
        "Nobody gets to tell you to get over it.",
        "There's no rush to move on.",
        "People may tell you everything happens for a reason, and that can feel hollow.",
        "You don't need to find a silver lining in this.",
        "It's okay that you're still upset, it was a big deal.",
        "We can move on to another topic whenever you like.",
        "That sounds incredibly painful. I'm here with you.",
    ],
)
def test_validation_that_shares_words_with_blocked_phrases_is_allowed(text: str) -> None:
    for user_level in (None, "concern", "crisis"):
        assert check_reply(text, user_level) == ReplyVerdict("allow", ())


def test_a_release_does_not_cover_a_later_demand() -> None:
    verdict = check_reply("You don't have to talk about it, but look on the bright side.")
    assert verdict.verdict == "block"


def test_replacement_is_warm_text_and_depends_on_the_reason() -> None:
    pacing = replacement_for(check_reply("What are you grateful for today?", "crisis"))
    other = replacement_for(check_reply("Everything happens for a reason."))
    assert pacing and other and pacing != other
    assert check_reply(pacing, "crisis").verdict == "allow"
    assert check_reply(other, "crisis").verdict == "allow"


def test_replacement_is_only_for_blocked_replies() -> None:
    with pytest.raises(ValueError):
        replacement_for(ReplyVerdict("allow", ()))


@pytest.mark.parametrize("text", ["", "   ", "😭😭", "\x00\xff", "Ευχαριστώ πολύ"])
def test_odd_replies_never_crash(text: str) -> None:
    assert check_reply(text, "crisis") == ReplyVerdict("allow", ())


def test_unknown_user_level_is_rejected() -> None:
    with pytest.raises(ValueError):
        check_reply("hello", "panicking")
