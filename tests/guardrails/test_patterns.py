"""The pattern mini-language that clinicians write rules in."""

from __future__ import annotations

import pytest

from guardrails.anchored import AnchoredMatcher
from guardrails.patterns import PatternCompiler, PatternError
from guardrails.pipeline import shared_pipeline

SETS = {"feelings": ("sad", "really low", "empty")}


def matches(pattern: str, text: str) -> list[str]:
    """The texts a single pattern finds in a message."""
    pipeline = shared_pipeline()
    matcher = AnchoredMatcher(pipeline.nlp.vocab)
    matcher.add("p", PatternCompiler(pipeline.words, SETS).compile(pattern))
    doc = pipeline.make_doc(text)
    return [doc[start:end].text for _, start, end in matcher(doc)]


def test_plain_words_match_after_normalisation() -> None:
    assert matches("i can't sleep", "honestly I cant sleep") == ["I cant sleep"]
    assert matches("you are", "u r kind") == ["u r"]


def test_alternatives_groups_and_optional_items() -> None:
    assert matches("feel (so|very)? tired|drained", "I feel so drained") == ["feel so drained"]
    assert matches("(want to|wanna) rest", "i wanna rest") == ["wanna rest"]


def test_word_sets_and_multiword_entries() -> None:
    assert matches("feel @feelings", "I feel really low today") == ["feel really low"]


def test_gap_does_not_cross_sentences() -> None:
    assert matches("want * die", "I want to die") == ["want to die"]
    assert matches("want * die", "I want it. Die hard is a film.") == []


def test_typo_tolerance_and_exact_case() -> None:
    assert matches("~suicide", "thinking of sucide") == ["sucide"]
    assert matches("=SH", "my SH is bad") == ["SH"]
    assert matches("=SH", "sh, be quiet") == []


def test_regex_items() -> None:
    assert matches("took /[1-9][0-9]+/ pills", "I took 30 pills") == ["took 30 pills"]
    assert matches("took /[1-9][0-9]+/ pills", "I took 2 pills") == []


def test_hyphens_are_optional_inside_words() -> None:
    assert matches("self-harm", "self harm") == ["self harm"]
    assert matches("self-harm", "self-harm") == ["self-harm"]


@pytest.mark.parametrize("pattern", ["", "(a (b))", "@missing", "(a||b)"])
def test_bad_patterns_raise_a_clear_error(pattern: str) -> None:
    with pytest.raises(PatternError):
        PatternCompiler(shared_pipeline().words, SETS).compile(pattern)
