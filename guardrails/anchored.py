"""A spaCy Matcher split into small matchers keyed by a rare word, so hundreds of rules stay fast.

spaCy's Matcher tries every pattern at every token, so its cost grows with the number of
patterns. Each pattern here is filed under one word it cannot match without (its rarest
required word, or a typo-tolerant or regex test). A message only runs the small matchers
whose key word it contains, which keeps the median message far below a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc
from spacy.vocab import Vocab

from guardrails.patterns import words_of

# Words so frequent that a pattern filed under them would run on almost every message.
COMMON_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "so",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "about",
        "into",
        "over",
        "up",
        "out",
        "off",
        "i",
        "me",
        "my",
        "mine",
        "myself",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "we",
        "us",
        "our",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "which",
        "who",
        "how",
        "when",
        "where",
        "why",
        "is",
        "am",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "did",
        "doing",
        "have",
        "has",
        "had",
        "having",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "not",
        "no",
        "never",
        "just",
        "really",
        "very",
        "too",
        "also",
        "even",
        "still",
        "all",
        "any",
        "some",
        "every",
        "each",
        "more",
        "most",
        "much",
        "many",
        "one",
        "get",
        "got",
        "go",
        "going",
        "went",
        "gone",
        "know",
        "like",
        "want",
        "wanna",
        "feel",
        "felt",
        "think",
        "thought",
        "say",
        "said",
        "tell",
        "told",
        "make",
        "made",
        "take",
        "took",
        "see",
        "saw",
        "need",
        "time",
        "day",
        "today",
        "now",
        "then",
        "than",
        "because",
        "'m",
        "'s",
        "'re",
        "'ve",
        "'d",
        "'ll",
        "lol",
        "ok",
        "oh",
        "yeah",
    }
)

Spec = dict


def _words(spec: Spec) -> list[str] | None:
    """The exact words a required token spec accepts, or None if it is not a word test."""
    spec = {key: value for key, value in spec.items() if key != "IS_SENT_START"}
    if spec.get("OP"):
        return None
    if set(spec) == {"ORTH"}:
        return [spec["ORTH"].lower()]
    return words_of(spec)


def _test(spec: Spec) -> tuple | None:
    """A cheap whole-message test for a typo-tolerant or regex token spec."""
    spec = {key: value for key, value in spec.items() if key != "IS_SENT_START"}
    if spec.get("OP") or set(spec) != {"NORM"} or not isinstance(spec["NORM"], dict):
        return None
    ((kind, value),) = spec["NORM"].items()
    if kind.startswith("FUZZY"):
        return ("fuzzy", value, int(kind[5:] or -1))
    if kind == "REGEX":
        return ("regex", value)
    return None


def _anchor(pattern: list[Spec]) -> tuple:
    """The most selective required test of a pattern: rare words first, then typo/regex tests."""
    best: tuple | None = None
    for spec in pattern:
        words = _words(spec)
        if words is not None:
            score = (sum(w in COMMON_WORDS for w in words) > 0, len(words))
            if best is None or score < best[0]:
                best = (score, ("words", frozenset(words)))
    if best is not None and not best[0][0]:
        return best[1]
    for spec in pattern:
        test = _test(spec)
        if test is not None:
            return test
    return best[1] if best is not None else ("always",)


def _reach(pattern: list[Spec]) -> int:
    """The longest stretch of tokens a pattern can cover."""
    total = 0
    for spec in pattern:
        op = spec.get("OP", "")
        if op in ("", "?", "!"):
            total += 1
        elif op.startswith("{"):
            total += int(op.strip("{}").split(",")[-1] or 50)
        else:
            total += 50
    return total


def _windows(positions: list[int], reach: int, length: int) -> list[tuple[int, int]]:
    """Merged token windows around each anchor position, wide enough for any match through it."""
    windows: list[tuple[int, int]] = []
    for position in sorted(positions):
        start, end = max(0, position - reach), min(length, position + reach + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


class AnchoredMatcher:
    """Drop-in for spaCy's Matcher: add(key, patterns), then call on a Doc for (key, start, end)."""

    def __init__(self, vocab: Vocab):
        self._vocab = vocab
        self._matchers: dict[tuple, Matcher] = {}
        self._reach: dict[tuple, int] = {}
        self._by_word: dict[str, list[tuple]] = {}
        self._tests: list[tuple] = []

    def add(self, key: str, patterns: Iterable[list[Spec]]) -> None:
        """File each pattern under its anchor."""
        for pattern in patterns:
            anchor = _anchor(pattern)
            if anchor not in self._matchers:
                self._matchers[anchor] = Matcher(self._vocab, validate=False)
                if anchor[0] == "words":
                    for word in anchor[1]:
                        self._by_word.setdefault(word, []).append(anchor)
                else:
                    self._tests.append(anchor)
            self._matchers[anchor].add(key, [pattern])
            self._reach[anchor] = max(self._reach.get(anchor, 0), _reach(pattern))

    def __len__(self) -> int:
        """Number of small matchers, for tests and tuning."""
        return len(self._matchers)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """All matches as (key, start, end), running small matchers only near their anchors."""
        positions: dict[str, list[int]] = {}
        for token in doc:
            positions.setdefault(token.norm_, []).append(token.i)
            if token.lower_ != token.norm_:
                positions.setdefault(token.lower_, []).append(token.i)
        hits: dict[tuple, list[int]] = {}
        for word, where in positions.items():
            for anchor in self._by_word.get(word, ()):
                hits.setdefault(anchor, []).extend(where)
        for anchor in self._tests:
            where = [
                i for word, found in positions.items() if self._passes(anchor, word) for i in found
            ]
            if where:
                hits[anchor] = where
        strings = self._vocab.strings
        found: set[tuple[str, int, int]] = set()
        for anchor, where in hits.items():
            for start, end in _windows(where, self._reach[anchor], len(doc)):
                for match_id, m_start, m_end in self._matchers[anchor](doc[start:end]):
                    found.add((strings[match_id], m_start + start, m_end + start))
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))

    def may_match(self, words: Iterable[str]) -> bool:
        """Whether any pattern could match a text with these words: its anchor is among them."""
        found = set(words)
        return any(word in self._by_word for word in found) or any(
            self._passes(anchor, word) for anchor in self._tests for word in found
        )

    @staticmethod
    def _passes(anchor: tuple, word: str) -> bool:
        """Whether one word could satisfy a typo-tolerant or regex anchor."""
        if anchor[0] == "fuzzy":
            _, target, edits = anchor
            return abs(len(word) - len(target)) <= 2 and levenshtein_compare(word, target, edits)
        if anchor[0] == "regex":
            return re.search(anchor[1], word) is not None
        return True
