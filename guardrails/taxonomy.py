"""The clinical taxonomy (rules/taxonomy.yaml): each category's level, reply and signals.

It is loaded and checked once, at import of the rails, so a bad edit fails at start-up with the
file and entry named, never inside a client's crisis turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, cast, get_args

from guardrails.rulefiles import RuleFileError, read_rule_file, reject_unknown

Level = Literal["none", "concern", "crisis"]
Reply = Literal["crisis", "safeguarding", "support", "none"]
LEVELS: tuple[Level, ...] = get_args(Level)
TAXONOMY_FILE = "taxonomy.yaml"
_CATEGORY_KEYS = frozenset(
    {"level", "family", "reply", "signals", "definition", "includes", "excludes"}
)


@dataclass(frozen=True)
class Category:
    """One category of the taxonomy, as a clinician reads it in taxonomy.yaml."""

    name: str
    level: Level
    family: str
    reply: Reply
    signals: tuple[str, ...]
    definition: str


@dataclass(frozen=True)
class Taxonomy:
    """All categories, the signal that reports each, and the annotation signals."""

    categories: dict[str, Category]
    by_signal: dict[str, str]
    annotations: tuple[str, ...]

    def category_of(self, signal: str) -> str | None:
        """The category a rule signal reports, or None for an annotation."""
        return self.by_signal.get(signal)

    def crisis_categories(self) -> tuple[str, ...]:
        return tuple(name for name, c in self.categories.items() if c.level == "crisis")


def _category(name: str, entry: object) -> Category:
    where = f"{TAXONOMY_FILE} category {name}"
    if not isinstance(entry, dict):
        raise RuleFileError(f"{where}: must be a mapping")
    reject_unknown(entry, _CATEGORY_KEYS, where)
    level, reply = entry.get("level"), entry.get("reply")
    if level not in LEVELS:
        raise RuleFileError(f"{where}: 'level' must be one of {LEVELS}")
    if reply not in get_args(Reply):
        raise RuleFileError(f"{where}: 'reply' must be one of {get_args(Reply)}")
    signals = entry.get("signals")
    if not isinstance(signals, list) or not all(isinstance(s, str) and s for s in signals):
        raise RuleFileError(f"{where}: 'signals' must be a list of signal names")
    for field in ("family", "definition"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            raise RuleFileError(f"{where}: '{field}' must be a non-empty string")
    return Category(
        name=name,
        level=cast(Level, level),
        family=entry["family"],
        reply=cast(Reply, reply),
        signals=tuple(signals),
        definition=" ".join(entry["definition"].split()),
    )


@cache
def taxonomy() -> Taxonomy:
    """The taxonomy, loaded and checked once per process."""
    data = read_rule_file(TAXONOMY_FILE)
    reject_unknown(data, frozenset({"categories", "annotations"}), TAXONOMY_FILE)
    entries, annotations = data.get("categories"), data.get("annotations")
    if not isinstance(entries, dict) or not entries:
        raise RuleFileError(f"{TAXONOMY_FILE}: expected a 'categories' mapping")
    if not isinstance(annotations, dict):
        raise RuleFileError(f"{TAXONOMY_FILE}: expected an 'annotations' mapping")
    categories = {str(name): _category(str(name), entry) for name, entry in entries.items()}
    by_signal: dict[str, str] = {}
    for category in categories.values():
        for signal in category.signals:
            if signal in by_signal or signal in annotations:
                raise RuleFileError(f"{TAXONOMY_FILE}: signal '{signal}' is listed twice")
            by_signal[signal] = category.name
    return Taxonomy(categories, by_signal, tuple(str(a) for a in annotations))
