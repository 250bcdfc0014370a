"""Input rail: how much risk the client's own message shows (crisis, concern or none)."""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.engine import Analysis, Finding, RuleEngine
from guardrails.pipeline import cached, shared_pipeline
from guardrails.rulefiles import load_modifiers, load_phrases, load_targets, load_vocabulary
from guardrails.text import chunks, normalise

LEVELS = ("none", "concern", "crisis")
HONOURS = ("negation", "hypothetical", "history", "other_person", "fear")
DEFAULT_HONOURS = ("negation", "hypothetical", "history", "other_person")
CATEGORIES = (
    "NEGATED",
    "PSEUDO",
    "HYPOTHETICAL",
    "HISTORICAL",
    "STOPPED",
    "ONGOING",
    "OTHER_PERSON",
    "SELF",
    "RESOLVED",
    "RETRACTION",
    "FEAR",
    "BREAK",
)
PAST_SIGNAL = "history_of_risk"
RETRACTION_SIGNAL = "retraction_after_disclosure"


@dataclass(frozen=True)
class RiskAssessment:
    """The input rail's verdict: a level and the short names of what was found."""

    level: str
    signals: tuple[str, ...]


@dataclass(frozen=True)
class _RiskRules:
    """The loaded risk engine plus the word list the denial check needs."""

    engine: RuleEngine
    clause_openers: frozenset[str]


def _load() -> _RiskRules:
    """Load the risk rule files."""
    vocabulary = load_vocabulary()
    engine = RuleEngine(
        shared_pipeline(),
        vocabulary,
        "risk",
        load_targets("risk_crisis.yaml", ("crisis",), HONOURS, DEFAULT_HONOURS)
        + load_targets("risk_concern.yaml", ("concern",), HONOURS, DEFAULT_HONOURS),
        load_phrases("risk_idioms.yaml", "idioms"),
        load_modifiers("risk_context.yaml", CATEGORIES),
    )
    return _RiskRules(engine, frozenset(vocabulary.sets["clause_openers"]))


def risk_rules() -> _RiskRules:
    """The risk rules, loaded once per process on first use."""
    return cached("risk_rules", _load)


def _denied(finding: Finding, words: tuple[str, ...], openers: frozenset[str]) -> bool:
    """A denial cue reaches the finding unless a comma opening a new clause stands between them."""
    for cue in finding.modifiers:
        if cue.category == "NEGATED" and not any(
            words[i] == "," and i + 1 < len(words) and words[i + 1] in openers
            for i in range(cue.end, finding.start)
        ):
            return True
    return False


def _outcome(finding: Finding, analysis: Analysis, openers: frozenset[str]) -> str | None:
    """The level one finding contributes once its context is taken into account."""
    honours = finding.rule.honours
    if "negation" in honours and _denied(finding, analysis.words, openers):
        return None
    if "hypothetical" in honours and finding.has("HYPOTHETICAL"):
        return None
    if "fear" in honours and finding.has("FEAR"):
        return None
    if "other_person" in honours and finding.nearest(("OTHER_PERSON", "SELF")) == "OTHER_PERSON":
        return None
    dated = (
        any(cue.category == "HISTORICAL" for cue in analysis.cues)
        and finding.rule.past_reach == "message"
    )
    past = finding.has("STOPPED") or (
        (finding.has("HISTORICAL") or dated) and not finding.has("ONGOING")
    )
    if "history" in honours and past:
        resolved = any(cue.category == "RESOLVED" for cue in analysis.cues)
        return None if resolved or finding.rule.if_past == "none" else "concern"
    return finding.rule.level


def _judge(analysis: Analysis, openers: frozenset[str], found: dict[str, str]) -> None:
    """Add the signals of one analysed chunk to `found` (signal name -> level)."""
    retractions = [cue.start for cue in analysis.cues if cue.category == "RETRACTION"]
    kept = [(f, level) for f in analysis.findings if (level := _outcome(f, analysis, openers))]
    specific = [(f.start, f.end) for f, _ in kept if not f.rule.fallback]
    for finding, level in kept:
        if finding.rule.fallback and any(
            finding.start < end and start < finding.end for start, end in specific
        ):
            continue
        signal = finding.rule.signal if level == finding.rule.level else PAST_SIGNAL
        found.setdefault(signal, level)
        if level == "crisis" and any(start >= finding.end for start in retractions):
            found.setdefault(RETRACTION_SIGNAL, "annotation")


def assess_risk(text: str) -> RiskAssessment:
    """Assess one client message; never raises on odd input, and scans all of a long text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    text = normalise(text)
    if not text.strip():
        return RiskAssessment("none", ())
    rules = risk_rules()
    found: dict[str, str] = {}
    for piece in chunks(text):
        _judge(rules.engine.analyse(piece), rules.clause_openers, found)
    rank = {level: i for i, level in enumerate(LEVELS)}
    level = max(
        (lvl for lvl in found.values() if lvl in rank), key=rank.__getitem__, default="none"
    )
    order = sorted(found, key=lambda s: -rank.get(found[s], -1))
    return RiskAssessment(level, tuple(order))
