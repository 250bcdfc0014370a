"""The output rail's taxonomy (rules/reply_taxonomy.yaml): what kinds of reply there are, and
which are blocked.

Loaded and checked once per process, so a bad edit fails at load with the file and entry named.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal, cast, get_args

from guardrails.rulefiles import RuleFileError, read_rule_file, reject_unknown

ReplyVerdictKind = Literal["block", "block_when_distressed", "allow"]
REPLY_TAXONOMY_FILE = "reply_taxonomy.yaml"
_KEYS = frozenset({"verdict", "definition", "includes", "excludes"})


@dataclass(frozen=True)
class ReplyCategory:
    """One kind of reply, as a clinician reads it in reply_taxonomy.yaml."""

    name: str
    verdict: ReplyVerdictKind
    definition: str


@dataclass(frozen=True)
class ReplyTaxonomy:
    categories: dict[str, ReplyCategory]

    def named(self, verdict: ReplyVerdictKind) -> tuple[str, ...]:
        """The categories with this verdict, in file order."""
        return tuple(n for n, c in self.categories.items() if c.verdict == verdict)


def _category(name: str, entry: object) -> ReplyCategory:
    where = f"{REPLY_TAXONOMY_FILE} category {name}"
    if not isinstance(entry, dict):
        raise RuleFileError(f"{where}: must be a mapping")
    reject_unknown(entry, _KEYS, where)
    if entry.get("verdict") not in get_args(ReplyVerdictKind):
        raise RuleFileError(f"{where}: 'verdict' must be one of {get_args(ReplyVerdictKind)}")
    definition = entry.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        raise RuleFileError(f"{where}: 'definition' must be a non-empty string")
    for field in ("includes", "excludes"):
        items = entry.get(field, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise RuleFileError(f"{where}: '{field}' must be a list of strings")
    verdict = cast(ReplyVerdictKind, entry["verdict"])
    return ReplyCategory(name, verdict, " ".join(definition.split()))


@cache
def reply_taxonomy() -> ReplyTaxonomy:
    """The reply taxonomy, loaded and checked once per process."""
    data = read_rule_file(REPLY_TAXONOMY_FILE)
    reject_unknown(data, frozenset({"categories"}), REPLY_TAXONOMY_FILE)
    entries = data.get("categories")
    if not isinstance(entries, dict) or not entries:
        raise RuleFileError(f"{REPLY_TAXONOMY_FILE}: expected a 'categories' mapping")
    categories = {str(n): _category(str(n), e) for n, e in entries.items()}
    for verdict in get_args(ReplyVerdictKind):
        if not any(c.verdict == verdict for c in categories.values()):
            raise RuleFileError(f"{REPLY_TAXONOMY_FILE}: no category with verdict {verdict!r}")
    return ReplyTaxonomy(categories)
