"""Score the input rail on a round of labelled messages: recall per category, false crisis on calm
and on recovery or history messages, each detector's share, and the cost per message.

A message with `previous` messages is read as the last of a conversation: each earlier message
is assessed first, in order, and the rail sees their levels and signals as the entry point
would. A message with a `context` is read as the answer to that exercise question.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from guardrails.context import PriorMessage, RiskContext
from guardrails.risk import RiskAssessment, assess_risk
from guardrails.rounds import Example
from guardrails.taxonomy import taxonomy

# The agreed targets for a held-out round (issue 9).
TARGETS = {
    "crisis_recall": (">=", 0.97),
    "min_category_recall": (">=", 0.90),
    "false_crisis_calm": ("<=", 0.03),
    "false_crisis_recovery_history": ("<=", 0.05),
    "input_rail_p95_ms": ("<=", 5.0),
}
MIN_PER_CATEGORY = 40
# Each message is assessed this many times and its cost is the median: the rail is
# deterministic, and one pause of the machine should not count as the rail's cost. The first
# run, which also pays for words spaCy has never seen, is reported beside it.
TIMING_RUNS = 3


@dataclass(frozen=True)
class Scored:
    """One example with the rail's assessment of it and the milliseconds it took."""

    example: Example
    assessment: RiskAssessment
    ms: float  # the median of TIMING_RUNS runs
    first_ms: float

    @property
    def crisis(self) -> bool:
        return self.assessment.level == "crisis"

    @property
    def rules_crisis(self) -> bool:
        return self.assessment.rules_level == "crisis"

    @property
    def model_crisis(self) -> bool:
        return self.assessment.model_level == "crisis"


def context_of(example: Example) -> RiskContext:
    """The context the entry point would give this message: earlier messages assessed in turn."""
    recent: list[PriorMessage] = []
    for text in example.previous:
        earlier = assess_risk(text, RiskContext(recent=tuple(recent)))
        recent.append(PriorMessage(text, earlier.level, earlier.signals))
    return RiskContext(slot=example.slot, exercise=example.exercise, recent=tuple(recent))


def score(examples: Iterable[Example]) -> list[Scored]:
    """Assess every example in its context; only the last message's time is counted."""
    scored = []
    for example in examples:
        context = context_of(example)
        runs = []
        for _ in range(TIMING_RUNS):
            start = time.perf_counter()
            assessment = assess_risk(example.text, context)
            runs.append((time.perf_counter() - start) * 1000)
        scored.append(Scored(example, assessment, statistics.median(runs), runs[0]))
    return scored


def _rate(hits: Sequence[bool]) -> float | None:
    return round(sum(hits) / len(hits), 4) if hits else None


def _group(scored: Iterable[Scored], key: str) -> dict[str, list[Scored]]:
    groups: dict[str, list[Scored]] = defaultdict(list)
    for item in scored:
        groups[getattr(item.example, key)].append(item)
    return dict(sorted(groups.items()))


def report(scored: Sequence[Scored]) -> dict[str, Any]:
    """All figures of one round as a JSON-ready dict, with the targets checked."""
    known = taxonomy().categories
    crisis = [s for s in scored if known[s.example.category].level == "crisis"]
    by_category = _group(scored, "category")
    categories: dict[str, dict[str, Any]] = {}
    for name, items in by_category.items():
        entry: dict[str, Any] = {"items": len(items)}
        if known[name].level == "crisis":
            entry["recall"] = _rate([s.crisis for s in items])
            entry["rules_recall"] = _rate([s.rules_crisis for s in items])
            entry["model_recall"] = _rate([s.model_crisis for s in items])
        else:
            entry["false_crisis"] = _rate([s.crisis for s in items])
            entry["rules_false_crisis"] = _rate([s.rules_crisis for s in items])
            entry["model_false_crisis"] = _rate([s.model_crisis for s in items])
            entry["concern_or_above"] = _rate([s.assessment.level != "none" for s in items])
        categories[name] = entry
    languages = {
        lang: {
            "items": len(items),
            "crisis_recall": _rate(
                [s.crisis for s in items if known[s.example.category].level == "crisis"]
            ),
            "false_crisis_on_none": _rate(
                [s.crisis for s in items if known[s.example.category].level == "none"]
            ),
            "detected_as_other_language": _rate([s.assessment.language != "en" for s in items]),
        }
        for lang, items in _group(scored, "lang").items()
    }
    calm_kinds = {
        kind: {"items": len(items), "false_crisis": _rate([s.crisis for s in items])}
        for kind, items in _group(by_category.get("calm", []), "kind").items()
    }
    caught = [s for s in crisis if s.crisis]
    times = [s.ms for s in scored]
    first_times = [s.first_ms for s in scored]
    figures: dict[str, Any] = {
        "items": len(scored),
        "crisis_items": len(crisis),
        "crisis_recall": _rate([s.crisis for s in crisis]),
        "rules_recall": _rate([s.rules_crisis for s in crisis]),
        "model_recall": _rate([s.model_crisis for s in crisis]),
        "caught_by_rules_only": sum(s.rules_crisis and not s.model_crisis for s in caught),
        "caught_by_model_only": sum(s.model_crisis and not s.rules_crisis for s in caught),
        "caught_by_both": sum(s.model_crisis and s.rules_crisis for s in caught),
        "min_category_recall": min(
            (c["recall"] for c in categories.values() if "recall" in c), default=None
        ),
        "false_crisis_calm": categories.get("calm", {}).get("false_crisis"),
        "false_crisis_recovery_history": categories.get("recovery_history", {}).get("false_crisis"),
        "false_crisis_distress": categories.get("distress", {}).get("false_crisis"),
        "input_rail_median_ms": round(statistics.median(times), 3) if times else None,
        "input_rail_p95_ms": round(statistics.quantiles(times, n=20)[-1], 3)
        if len(times) > 1
        else None,
        "input_rail_first_run_p95_ms": round(statistics.quantiles(first_times, n=20)[-1], 3)
        if len(first_times) > 1
        else None,
        "categories": categories,
        "languages": languages,
        "calm_by_kind": calm_kinds,
        "misses": [s.example.id for s in crisis if not s.crisis],
        "false_crisis": [
            s.example.id for s in scored if s.crisis and known[s.example.category].level != "crisis"
        ],
    }
    figures["checks"] = {
        name: _check(figures.get(name), op, threshold) for name, (op, threshold) in TARGETS.items()
    }
    figures["checks"]["items_per_category"] = all(
        c["items"] >= MIN_PER_CATEGORY for c in categories.values() if "recall" in c
    )
    return figures


def _check(value: float | None, op: str, threshold: float) -> bool | None:
    if value is None:
        return None
    return value >= threshold if op == ">=" else value <= threshold


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def format_report(name: str, figures: dict[str, Any]) -> str:
    """The figures of one round as a plain-text table."""
    lines = [
        f"Round {name}: {figures['items']} messages, {figures['crisis_items']} at crisis level",
        f"  crisis recall {_fmt(figures['crisis_recall'])}"
        f" (rules alone {_fmt(figures['rules_recall'])}, model alone"
        f" {_fmt(figures['model_recall'])}; caught by rules only"
        f" {figures['caught_by_rules_only']}, model only {figures['caught_by_model_only']},"
        f" both {figures['caught_by_both']})",
        f"  false crisis: calm {_fmt(figures['false_crisis_calm'])}, recovery or history"
        f" {_fmt(figures['false_crisis_recovery_history'])}, distress"
        f" {_fmt(figures['false_crisis_distress'])}",
        f"  cost (median of {TIMING_RUNS} runs): median {_fmt(figures['input_rail_median_ms'])}"
        f" ms, p95 {_fmt(figures['input_rail_p95_ms'])} ms; first runs only: p95"
        f" {_fmt(figures['input_rail_first_run_p95_ms'])} ms",
        "  category               items  recall  rules  model |"
        " false crisis (rules, model)  concern+",
    ]
    for category, c in figures["categories"].items():
        if "recall" in c:
            lines.append(
                f"  {category:<22} {c['items']:>5}  {_fmt(c['recall']):>6} "
                f"{_fmt(c['rules_recall']):>6} {_fmt(c['model_recall']):>6} |"
            )
        else:
            lines.append(
                f"  {category:<22} {c['items']:>5}  {'':>6} {'':>6} {'':>6} |"
                f" {_fmt(c['false_crisis']):>12} ({_fmt(c['rules_false_crisis'])},"
                f" {_fmt(c['model_false_crisis'])}) {_fmt(c['concern_or_above']):>9}"
            )
    lines.append("  language  items  crisis recall  false crisis (none)  read as other language")
    for lang, c in figures["languages"].items():
        lines.append(
            f"  {lang:<8} {c['items']:>6}  {_fmt(c['crisis_recall']):>13}"
            f"  {_fmt(c['false_crisis_on_none']):>19}  {_fmt(c['detected_as_other_language']):>22}"
        )
    lines.append(
        "  calm by kind: "
        + ", ".join(
            f"{kind} {_fmt(c['false_crisis'])} of {c['items']}"
            for kind, c in figures["calm_by_kind"].items()
        )
    )
    lines.append("  targets:")
    for name, met in figures["checks"].items():
        target = TARGETS.get(name)
        wanted = f"{target[0]} {target[1]}" if target else f">= {MIN_PER_CATEGORY} each"
        status = {True: "met", False: "NOT MET", None: "not measured"}[met]
        lines.append(f"    {name:<32} {wanted:<8} {_fmt(figures.get(name, '')):>8}  {status}")
    return "\n".join(lines)
