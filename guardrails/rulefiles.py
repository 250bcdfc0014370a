"""Load and validate the clinician-editable YAML rule files in guardrails/rules/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent / "rules"
CONTEXT_DIRECTIONS = ("forward", "backward", "bidirectional", "terminate", "pseudo")
TARGET_KEYS = frozenset(
    {
        "signal",
        "level",
        "why",
        "patterns",
        "honours",
        "if_past",
        "past_reach",
        "near",
        "fallback",
        "alone",
        "answering",
    }
)
PHRASE_KEYS = frozenset({"why", "patterns"})
MODIFIER_KEYS = frozenset({"category", "direction", "max_scope", "why", "patterns"})
NEAR_KEYS = frozenset({"set", "within", "same_sentence"})


class RuleFileError(ValueError):
    """Raised when a rule file is malformed, naming the file and entry so a clinician can fix it."""


@dataclass(frozen=True)
class Vocabulary:
    """Spelling norms and named word sets that every pattern can use."""

    norms: dict[str, str]
    uncensor: tuple[str, ...]
    sets: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Near:
    """A target only counts when a word from `set` occurs within `within` tokens of it."""

    set: str
    within: int
    same_sentence: bool = True


@dataclass(frozen=True)
class TargetRule:
    """One thing a rail looks for: a signal name, its level and the patterns that find it."""

    key: str
    signal: str
    level: str
    why: str
    patterns: tuple[str, ...]
    honours: frozenset[str]
    if_past: str
    past_reach: str
    near: tuple[Near, ...]
    fallback: bool
    # The level when neither this message nor the client's last few show distress or a
    # stressor; None: the rule needs no such context.
    alone: str | None = None
    # The exercise slots whose answers this rule reads; empty: any message.
    answering: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ModifierRule:
    """One ConText modifier: phrases that change the meaning of targets near them."""

    category: str
    direction: str
    max_scope: int | None
    why: str
    patterns: tuple[str, ...]
    stopped_by: tuple[str, ...]


def reject_unknown(entry: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    """A misspelt key would be ignored silently, so any key not in `allowed` is an error."""
    unknown = sorted(str(key) for key in entry if key not in allowed)
    if unknown:
        raise RuleFileError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")


def read_rule_file(name: str) -> dict[str, Any]:
    """Read one YAML file from the rules folder as a mapping."""
    path = RULES_DIR / name
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise RuleFileError(f"{name}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise RuleFileError(f"{name}: expected a mapping at the top level")
    return data


def _text(entry: dict[str, Any], field: str, where: str) -> str:
    """Fetch a required non-empty string field."""
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(f"{where}: '{field}' must be a non-empty string")
    return " ".join(value.split())


def _patterns(entry: dict[str, Any], where: str) -> tuple[str, ...]:
    """Fetch the non-empty list of pattern strings of an entry."""
    value = entry.get("patterns")
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(p, str) and p.strip() for p in value)
    ):
        raise RuleFileError(f"{where}: 'patterns' must be a non-empty list of strings")
    return tuple(p.strip() for p in value)


def _flag(entry: dict[str, Any], field: str, where: str) -> bool:
    """An optional true/false field, false when absent."""
    value = entry.get(field, False)
    if not isinstance(value, bool):
        raise RuleFileError(f"{where}: '{field}' must be true or false")
    return value


def _near(value: Any, where: str) -> tuple[Near, ...]:
    """Parse 'near': one condition or a list of them, all of which must hold."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("set"), str)
            or not isinstance(item.get("within"), int)
            or not isinstance(item.get("same_sentence", True), bool)
        ):
            raise RuleFileError(f"{where}: each 'near' needs a 'set' name and a 'within' count")
        reject_unknown(item, NEAR_KEYS, where)
        out.append(Near(item["set"], item["within"], item.get("same_sentence", True)))
    return tuple(out)


def _flatten(sets: dict[str, list[str]], name: str, seen: tuple[str, ...]) -> tuple[str, ...]:
    """A set's entries, with "@other" entries replaced by that set's entries."""
    if name in seen:
        raise RuleFileError(f"word set @{name} includes itself")
    out: list[str] = []
    for entry in sets[name]:
        if entry.startswith("@"):
            if entry[1:] not in sets:
                raise RuleFileError(f"word set @{name} refers to unknown set {entry}")
            out.extend(_flatten(sets, entry[1:], (*seen, name)))
        else:
            out.append(entry)
    return tuple(dict.fromkeys(out))


def load_vocabulary(names: str | Sequence[str] = "vocabulary.yaml") -> Vocabulary:
    """Load spelling norms, starred-word list and word sets; several files are merged."""
    norms: dict[str, str] = {}
    uncensor: list[str] = []
    sets: dict[str, list[str]] = {}
    for name in [names] if isinstance(names, str) else names:
        part = _vocabulary(name)
        norms.update(part.norms)
        uncensor.extend(part.uncensor)
        for set_name, entries in part.sets.items():
            sets.setdefault(set_name, []).extend(entries)
    return Vocabulary(
        norms=norms,
        uncensor=tuple(dict.fromkeys(uncensor)),
        sets={k: tuple(dict.fromkeys(v)) for k, v in sets.items()},
    )


def _vocabulary(name: str) -> Vocabulary:
    """The norms, starred-word list and word sets of one file."""
    data = read_rule_file(name)
    norms = data.get("norms") or {}
    sets = data.get("sets") or {}
    uncensor = data.get("uncensor") or []
    if not isinstance(norms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in norms.items()
    ):
        raise RuleFileError(f"{name}: 'norms' must map words to words")
    if not isinstance(sets, dict):
        raise RuleFileError(f"{name}: 'sets' must be a mapping of set names to lists")
    for set_name, entries in sets.items():
        if (
            not isinstance(entries, list)
            or not entries
            or not all(isinstance(e, str) and e for e in entries)
        ):
            raise RuleFileError(f"{name}: set '{set_name}' must be a non-empty list of strings")
    return Vocabulary(
        norms={k.lower(): v.lower() for k, v in norms.items()},
        uncensor=tuple(str(w).lower() for w in uncensor),
        sets={k: _flatten(sets, k, ()) for k in sets},
    )


def load_targets(
    name: str,
    levels: tuple[str, ...],
    honours: tuple[str, ...],
    default_honours: tuple[str, ...] | None = None,
) -> list[TargetRule]:
    """Load the target rules of one file, checking levels, context names and past handling."""
    entries = read_rule_file(name).get("rules")
    if not isinstance(entries, list):
        raise RuleFileError(f"{name}: expected a 'rules' list")
    rules = []
    for index, entry in enumerate(entries):
        where = f"{name} rule {index + 1}"
        if not isinstance(entry, dict):
            raise RuleFileError(f"{where}: each rule must be a mapping")
        reject_unknown(entry, TARGET_KEYS, where)
        signal = _text(entry, "signal", where)
        level = _text(entry, "level", where)
        if level not in levels:
            raise RuleFileError(f"{where} ({signal}): level must be one of {levels}")
        chosen = entry.get("honours", list(default_honours or honours))
        if not isinstance(chosen, list) or not set(chosen) <= set(honours):
            raise RuleFileError(
                f"{where} ({signal}): 'honours' must be a list drawn from {honours}"
            )
        if_past = entry.get("if_past", "concern" if level == "crisis" else "none")
        if if_past not in ("concern", "none"):
            raise RuleFileError(f"{where} ({signal}): 'if_past' must be 'concern' or 'none'")
        past_reach = entry.get("past_reach", "sentence")
        if past_reach not in ("sentence", "message"):
            raise RuleFileError(f"{where} ({signal}): 'past_reach' must be 'sentence' or 'message'")
        near = _near(entry.get("near", []), f"{where} ({signal})")
        alone = entry.get("alone")
        if alone is not None and alone not in ("concern", "none"):
            raise RuleFileError(f"{where} ({signal}): 'alone' must be 'concern' or 'none'")
        answering = entry.get("answering", [])
        if not isinstance(answering, list) or not all(isinstance(a, str) for a in answering):
            raise RuleFileError(f"{where} ({signal}): 'answering' must be a list of slot names")
        rules.append(
            TargetRule(
                key=f"{name}:{signal}#{index}",
                signal=signal,
                level=level,
                why=_text(entry, "why", where),
                patterns=_patterns(entry, where),
                honours=frozenset(chosen),
                if_past=if_past,
                past_reach=past_reach,
                fallback=_flag(entry, "fallback", f"{where} ({signal})"),
                near=near,
                alone=alone,
                answering=frozenset(answering),
            )
        )
    return rules


def load_phrases(name: str, section: str) -> list[tuple[str, tuple[str, ...]]]:
    """Load a list of (why, patterns) entries, used for idioms and other exclusions."""
    entries = read_rule_file(name).get(section)
    if not isinstance(entries, list):
        raise RuleFileError(f"{name}: expected a '{section}' list")
    out = []
    for index, entry in enumerate(entries):
        where = f"{name} {section} entry {index + 1}"
        if not isinstance(entry, dict):
            raise RuleFileError(f"{where}: each entry must be a mapping")
        reject_unknown(entry, PHRASE_KEYS, where)
        out.append((_text(entry, "why", where), _patterns(entry, where)))
    return out


def load_modifiers(name: str, categories: tuple[str, ...]) -> list[ModifierRule]:
    """Load ConText modifier rules, checking category and direction names."""
    data = read_rule_file(name)
    entries = data.get("modifiers")
    if not isinstance(entries, list):
        raise RuleFileError(f"{name}: expected a 'modifiers' list")
    breakable = data.get("stopped_by_breaks", [])
    if not isinstance(breakable, list) or not set(breakable) <= set(categories):
        raise RuleFileError(f"{name}: 'stopped_by_breaks' must list categories from {categories}")
    rules = []
    for index, entry in enumerate(entries):
        where = f"{name} modifier {index + 1}"
        if not isinstance(entry, dict):
            raise RuleFileError(f"{where}: each modifier must be a mapping")
        reject_unknown(entry, MODIFIER_KEYS, where)
        category = _text(entry, "category", where).upper()
        direction = _text(entry, "direction", where).lower()
        if category not in categories:
            raise RuleFileError(f"{where}: category must be one of {categories}")
        if direction not in CONTEXT_DIRECTIONS:
            raise RuleFileError(f"{where}: direction must be one of {CONTEXT_DIRECTIONS}")
        scope = entry.get("max_scope")
        if scope is not None and (not isinstance(scope, int) or scope <= 0):
            raise RuleFileError(f"{where}: 'max_scope' must be a positive whole number")
        stopped_by = ("BREAK",) if category in breakable else ()
        rules.append(
            ModifierRule(
                category,
                direction,
                scope,
                _text(entry, "why", where),
                _patterns(entry, where),
                stopped_by,
            )
        )
    return rules


def load_mapping(name: str, section: str) -> dict[str, str]:
    """Load a flat mapping of names to texts, used for the replacement replies."""
    data = read_rule_file(name).get(section)
    if not isinstance(data, dict) or not all(
        isinstance(v, str) and v.strip() for v in data.values()
    ):
        raise RuleFileError(f"{name}: '{section}' must map names to non-empty texts")
    return {str(k): " ".join(v.split()) for k, v in data.items()}
