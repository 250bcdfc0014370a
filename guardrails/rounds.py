"""The labelled message rounds in guardrails/data: which train the detector, which are held out.

`guardrails/data/rounds.yaml` lists every round with its use. A held-out round is scored once,
before any change, and its figures are committed to guardrails/EVALUATION.md; only then is its
use changed to `training`. See guardrails/data/README.md, the data card.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar, cast, get_args

import yaml

from guardrails.rulefiles import RuleFileError, reject_unknown
from guardrails.taxonomy import taxonomy

DATA_DIR = Path(__file__).resolve().parent / "data"
MANIFEST = DATA_DIR / "rounds.yaml"
Use = Literal["training", "heldout"]
T = TypeVar("T")
_ROUND_KEYS = frozenset({"name", "file", "use", "written", "writers", "brief", "note"})
_RECORD_KEYS = frozenset(
    {"id", "text", "category", "level", "kind", "voice", "lang", "context", "previous"}
)
_CONTEXT_KEYS = frozenset({"exercise", "slot", "question"})


@dataclass(frozen=True)
class Example:
    """One labelled client message, with the question it answers or what came before it."""

    id: str
    text: str
    category: str
    level: str
    kind: str
    voice: str
    lang: str
    exercise: str | None = None
    slot: str | None = None
    previous: tuple[str, ...] = ()


@dataclass(frozen=True)
class Round:
    """One round of messages from independent writers, as the manifest describes it."""

    name: str
    path: Path
    use: Use
    written: str
    writers: int
    brief: str
    note: str = ""

    def examples(self) -> list[Example]:
        return read_examples(self.path)


def parse_example(record: object, where: str) -> Example:
    """One JSON record as an Example; the level is the taxonomy's level for its category."""
    if not isinstance(record, dict):
        raise ValueError(f"{where}: not a JSON object")
    reject_unknown(record, _RECORD_KEYS, where)
    categories = taxonomy().categories
    category = record.get("category")
    if category not in categories:
        raise ValueError(f"{where}: unknown category {category!r}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: 'text' must be a non-empty string")
    context = record.get("context") or {}
    if not isinstance(context, dict):
        raise ValueError(f"{where}: 'context' must be an object")
    reject_unknown(context, _CONTEXT_KEYS, where)
    previous = record.get("previous") or []
    if not isinstance(previous, list) or not all(isinstance(p, str) for p in previous):
        raise ValueError(f"{where}: 'previous' must be a list of strings")
    return Example(
        id=str(record.get("id", where)),
        text=text,
        category=category,
        level=categories[category].level,
        kind=str(record.get("kind") or ""),
        voice=str(record.get("voice") or ""),
        lang=str(record.get("lang") or "en"),
        exercise=context.get("exercise"),
        slot=context.get("slot"),
        previous=tuple(previous),
    )


def read_records(path: Path, parse: Callable[[object, str], T]) -> list[T]:
    """Every record of a JSON-lines file, each made by `parse(record, "file:line")`; fails on the
    first bad line with its number."""
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                records.append(parse(json.loads(line), f"{path.name}:{number}"))
    return records


def read_examples(path: Path) -> list[Example]:
    """All examples of a JSON-lines file, failing on the first bad line with its number."""
    return read_records(path, parse_example)


def load_rounds(manifest: Path = MANIFEST) -> list[Round]:
    """Every round in the manifest, in the order they were written."""
    data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    entries = data.get("rounds") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise RuleFileError(f"{manifest.name}: expected a 'rounds' list")
    rounds = []
    for index, entry in enumerate(entries, start=1):
        where = f"{manifest.name} round {index}"
        if not isinstance(entry, dict):
            raise RuleFileError(f"{where}: must be a mapping")
        reject_unknown(entry, _ROUND_KEYS, where)
        if entry.get("use") not in get_args(Use):
            raise RuleFileError(f"{where}: 'use' must be one of {get_args(Use)}")
        rounds.append(
            Round(
                name=str(entry["name"]),
                path=manifest.parent / str(entry["file"]),
                use=cast(Use, entry["use"]),
                written=str(entry.get("written", "")),
                writers=int(entry.get("writers", 0)),
                brief=str(entry.get("brief", "")),
                note=" ".join(str(entry.get("note", "")).split()),
            )
        )
    return rounds


def training_examples(rounds: Iterable[Round] | None = None) -> list[Example]:
    """The examples of every round whose use is training, in manifest order."""
    chosen = load_rounds() if rounds is None else rounds
    return [e for r in chosen if r.use == "training" for e in r.examples()]


def heldout_rounds(rounds: Iterable[Round] | None = None) -> list[Round]:
    chosen = load_rounds() if rounds is None else rounds
    return [r for r in chosen if r.use == "heldout"]
