"""Compile the readable pattern strings of the YAML rule files into spaCy Matcher patterns.

Pattern syntax (one token per item, items separated by spaces):

    word          a word, compared after normalisation ("can't" matches "cant", "u" matches "you")
    a|b|c         any one of these words
    (a b|c d e)   any one of these word sequences
    @name         any entry of the word set `name` from vocabulary.yaml
    item?         the item is optional
    *  or  *5     up to 3 (or 5) words of anything, never crossing a sentence end
    ~word         the word or a one/two-letter misspelling of it
    /regex/       a token matching the regular expression (inside ( | ) groups: no brackets)
    =Word         the word with exactly this spelling and case
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence

TokenSpec = dict
Choice = tuple[TokenSpec, ...]

_ITEM = re.compile(r"\(([^()]*)\)(\?)?|/([^/]+)/(\?)?|(\S+)")
MAX_EXPANSION = 2000


class PatternError(ValueError):
    """Raised when a rule file holds a pattern that cannot be compiled, naming the pattern."""


def _fuzzy(word: str) -> TokenSpec:
    """Allow one slip in words up to eight letters and two in longer ones, so typos still match."""
    op = "FUZZY1" if len(word) <= 8 else "FUZZY2"
    return {"NORM": {op: word}}


def _words_of(spec: TokenSpec) -> list[str] | None:
    """The plain words a token spec accepts, or None when it is not a plain word test."""
    if set(spec) != {"NORM"}:
        return None
    value = spec["NORM"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return list(value["IN"])
    return None


def _fold(group: list[Choice], position: int) -> Choice:
    """Join choices that are equal except at `position` into one choice with an IN test there."""
    words = sorted({word for choice in group for word in _words_of(choice[position]) or []})
    spec: TokenSpec = {"NORM": words[0]} if len(words) == 1 else {"NORM": {"IN": words}}
    first = group[0]
    return (*first[:position], spec, *first[position + 1 :])


def _after_gaps(tokens: list[TokenSpec]) -> list[TokenSpec]:
    """Keep a gap inside one sentence: the word after a gap may not start a new sentence."""
    out = []
    for index, spec in enumerate(tokens):
        if index and _is_gap(tokens[index - 1]) and not _is_gap(spec):
            spec = {**spec, "IS_SENT_START": False}
        out.append(spec)
    return out


def _is_gap(spec: TokenSpec) -> bool:
    """Whether a spec is a `*` gap."""
    return spec.get("IS_SENT_START") is False and str(spec.get("OP", "")).startswith("{")


class PatternCompiler:
    """Turns pattern strings into lists of spaCy token patterns using the shared word sets."""

    def __init__(self, words: Callable[[str], list[str]], sets: Mapping[str, Sequence[str]]):
        self._words = words
        self._sets = sets

    def compile(self, pattern: str) -> list[list[TokenSpec]]:
        """Expand one pattern string into the token patterns that together match it."""
        if re.search(r"\([^)]*\(", pattern):
            raise PatternError(
                f"brackets cannot be nested, list the alternatives instead: {pattern!r}"
            )
        items = [self._item(m, pattern) for m in _ITEM.finditer(pattern)]
        if not items:
            raise PatternError(f"empty pattern: {pattern!r}")
        count = 1
        for choices in items:
            count *= len(choices)
        if count > MAX_EXPANSION:
            raise PatternError(f"pattern expands to {count} variants, split it up: {pattern!r}")
        out = []
        for combo in itertools.product(*items):
            tokens = _after_gaps([spec for choice in combo for spec in choice])
            if tokens and not all(spec.get("OP") for spec in tokens):
                out.append(tokens)
        if not out:
            raise PatternError(f"pattern can match nothing: {pattern!r}")
        return out

    def _item(self, match: re.Match, pattern: str) -> list[Choice]:
        """Compile one item to its alternatives; single-word alternatives share one token spec."""
        group, group_opt, regex, regex_opt, word = match.groups()
        if regex is not None:
            return self._optional([({"NORM": {"REGEX": f"^(?:{regex})$"}},)], bool(regex_opt))
        if group is not None:
            alternatives, optional = group.split("|"), bool(group_opt)
        else:
            optional = word.endswith("?") and len(word) > 1
            word = word[:-1] if optional else word
            if re.fullmatch(r"\*\d*", word):
                limit = int(word[1:] or 3)
                return [({"IS_SENT_START": False, "OP": f"{{0,{limit}}}"},)]
            alternatives = word.split("|")
        choices = [
            choice for alt in alternatives for choice in self._sequence(alt.strip(), pattern)
        ]
        return self._merge(choices, optional)

    def _sequence(self, text: str, pattern: str) -> list[Choice]:
        """Compile a run of words (each possibly @set, ~fuzzy or =exact) to its token sequences."""
        if not text:
            raise PatternError(f"empty alternative in {pattern!r}")
        parts: list[list[Choice]] = []
        for word in text.split():
            if word.startswith("@") and len(word) > 1:
                if word[1:] not in self._sets:
                    raise PatternError(f"unknown word set {word} in {pattern!r}")
                parts.append([self._phrase(entry) for entry in self._sets[word[1:]]])
            elif word.startswith("~") and len(word) > 1:
                parts.append([(_fuzzy(word[1:].lower()),)])
            elif word.startswith("=") and len(word) > 1:
                parts.append([({"ORTH": word[1:]},)])
            elif len(word) > 2 and word[0] == word[-1] == "/":
                parts.append([({"NORM": {"REGEX": f"^(?:{word[1:-1]})$"}},)])
            else:
                parts.append([self._phrase(word)])
        return [
            tuple(spec for choice in combo for spec in choice)
            for combo in itertools.product(*parts)
        ]

    def _phrase(self, text: str) -> Choice:
        """Turn literal words into token specs; hyphens inside words become optional."""
        specs: list[TokenSpec] = []
        for norm in self._words(text):
            if norm == "-":
                specs.append({"NORM": "-", "OP": "?"})
            else:
                specs.append({"NORM": norm})
        return tuple(specs)

    @staticmethod
    def _merge(alternatives: list[Choice], optional: bool) -> list[Choice]:
        """Fold alternatives that differ in one word into one choice, keeping the Matcher small."""
        choices = list({repr(alt): alt for alt in alternatives}.values())
        changed = True
        while changed:
            changed = False
            for position in range(max(len(c) for c in choices)):
                merged: dict[str, list[Choice]] = {}
                for choice in choices:
                    if len(choice) > position and _words_of(choice[position]) is not None:
                        rest = repr((len(choice), choice[:position], choice[position + 1 :]))
                    else:
                        rest = repr(choice)
                    merged.setdefault(rest, []).append(choice)
                if any(len(group) > 1 for group in merged.values()):
                    choices = [
                        _fold(group, position) if len(group) > 1 else group[0]
                        for group in merged.values()
                    ]
                    changed = True
        return PatternCompiler._optional(choices, optional)

    @staticmethod
    def _optional(choices: list[Choice], optional: bool) -> list[Choice]:
        """Make an item optional: a lone token gets OP '?', longer choices an empty alternative."""
        if not optional:
            return choices
        if len(choices) == 1 and len(choices[0]) == 1:
            return [({**choices[0][0], "OP": "?"},)]
        return [*choices, ()]
