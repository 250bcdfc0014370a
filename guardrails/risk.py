"""Input rail: how much risk the client's own message shows (crisis, concern or none).

Two detectors read every message, and either can raise its level:

* the rules (rules/risk_*.yaml and, for Spanish, French, German, Portuguese, Polish and Arabic,
  rules/languages/*.yaml), which explain themselves by their signal and its `why`;
* the learned detector (guardrails/detector.py), whose score and top features are kept.

The rules also read the context: the exercise slot a message answers (`answering:` rules) and
the client's last few messages (`alone:` rules count fully only after distress or a stressor).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guardrails.context import NO_CONTEXT, STRESSOR_SIGNAL, RiskContext
from guardrails.detector import DetectorVerdict, RiskDetector, detector_path, load
from guardrails.engine import Analysis, Finding, Modifier, RuleEngine
from guardrails.language import ENGLISH, language_of
from guardrails.pipeline import TextPipeline, cached, shared_pipeline
from guardrails.rulefiles import (
    RULES_DIR,
    load_modifiers,
    load_phrases,
    load_targets,
    load_vocabulary,
)
from guardrails.taxonomy import LEVELS, Level, taxonomy
from guardrails.text import chunks, distinct_sentences, normalise

HONOURS = (
    "negation",
    "hypothetical",
    "history",
    "other_person",
    "fear",
    "accident",
    "departure",
    "hyperbole",
    "house_rule",
)
DEFAULT_HONOURS = ("negation", "hypothetical", "history", "other_person")
CATEGORIES = (
    "NEGATED",
    "PSEUDO",
    "HYPOTHETICAL",
    "HISTORICAL",
    "STOPPED",
    "ONGOING",
    "RECENT",
    "RETURNED",
    "MILESTONE",
    "OTHER_PERSON",
    "SELF",
    "RESOLVED",
    "CLOSED",
    "RETRACTION",
    "FEAR",
    "BREAK",
    "PAST",
    "ACCIDENT",
    "DELIBERATE",
    "DEPARTURE",
    "HYPERBOLE",
    "HOUSE_RULE",
    "QUOTED",
    "EXPLAINED",
)
PAST_SIGNAL = "history_of_risk"
RETRACTION_SIGNAL = "retraction_after_disclosure"
LANGUAGES_DIR = RULES_DIR / "languages"
_RANK = {level: i for i, level in enumerate(LEVELS)}
TENSE_REACH = 4  # words before a match searched for its tense
MILESTONE_REACH = 3  # words from a milestone to the risk it counts from ("free of binge and purge")
# Words that start a new clause between a milestone and a risk: "two years clean until I cut".
_CLAUSE_TURNS = frozenset(
    {"until", "till", "til", "but", "then", "when", "after", "before", "because", "since"}
    | {"yet", "though", "however", ",", ".", ";", "!", "?", "-"}
)
DATE_REACH = 8  # words after a match told without a tense searched for its date ("ED 2013-16")
# Words around a match searched for an everyday reason (ACCIDENT, DEPARTURE, HYPERBOLE,
# HOUSE_RULE).
EVERYDAY_REACH = 15
# Each everyday reason: the honour a rule lists, its cue, and whether "on purpose" or "I mean
# it" anywhere in the message takes the reason away (a farewell card stays a card).
_EVERYDAY: tuple[tuple[str, str, bool], ...] = (
    ("accident", "ACCIDENT", True),
    ("departure", "DEPARTURE", False),
    ("hyperbole", "HYPERBOLE", True),
    ("house_rule", "HOUSE_RULE", True),
)
_WORDS = re.compile(r"\w+")
_THIRD_PERSON_REFLEXIVES = frozenset({"himself", "herself", "themselves", "themself"})
_CLIENT_WORDS = frozenset({"me", "myself"})


@dataclass(frozen=True)
class RiskAssessment:
    """The input rail's verdict on one message.

    `level` is the highest level either detector gives; `signals` are the rules' signal names
    (and annotations such as `stressor`); `categories` are the taxonomy categories found
    (rules/taxonomy.yaml), crisis ones first; `language` is the ISO 639-1 code of the message;
    `rules_level` and `model_level` are what each detector contributed on its own, and
    `detector` is the learned detector's full verdict.
    """

    level: str
    signals: tuple[str, ...]
    categories: tuple[str, ...] = ()
    language: str = "en"
    rules_level: str = "none"
    model_level: str = "none"
    detector: DetectorVerdict | None = None
    context_used: tuple[str, ...] = field(default=())

    @property
    def sources(self) -> tuple[str, ...]:
        """Which detectors reached the final level: "rules", "model" or both."""
        if self.level == "none":
            return ()
        found = ["rules"] if self.rules_level == self.level else []
        if self.model_level == self.level:
            found.append("model")
        return tuple(found)

    def replies(self) -> frozenset[str]:
        """The replies its crisis categories call for: "crisis" and/or "safeguarding"."""
        if self.level != "crisis":
            return frozenset()
        known = taxonomy().categories
        wanted = {
            known[c].reply for c in self.categories if c in known and known[c].level == "crisis"
        }
        return frozenset(wanted & {"crisis", "safeguarding"}) or frozenset({"crisis"})

    def detail(self) -> dict[str, Any]:
        """What is stored with the message for the therapist and for audits (JSON-ready)."""
        model = None
        if self.detector is not None:
            model = {
                "level": self.detector.level,
                "crisis_score": self.detector.crisis_score,
                "category": self.detector.category,
                "category_score": self.detector.category_score,
                "features": list(self.detector.features),
                "version": trained_detector().version,
            }
        return {
            "categories": list(self.categories),
            "language": self.language,
            "rules_level": self.rules_level,
            "model_level": self.model_level,
            "model": model,
            "sources": list(self.sources),
            "context": list(self.context_used),
        }


@dataclass(frozen=True)
class _Hit:
    """One signal a rule found, at the level it counts, before context is applied."""

    signal: str
    level: str
    alone: str | None = None
    answering: bool = False


@dataclass(frozen=True)
class Tense:
    """Words near the start of a match that tell it as past ("wanted to die", "had thoughts
    of ...") or as present ("I want to", "I'm going to"); both sets are in vocabulary.yaml."""

    past: frozenset[str] = frozenset()
    present: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _RiskRules:
    """The loaded engines (English, then the other languages) and the word lists they share."""

    engines: tuple[RuleEngine, ...]
    clause_openers: frozenset[str]
    # How the English rules tell a match's tense; the other languages rely on their cues.
    tense: Tense = field(default_factory=lambda: Tense())
    # Words that, right after a match, make it someone else's or a topic ("cutting herself",
    # "overdose deaths", "the self-harm scenes").
    others_after: frozenset[str] = frozenset()
    # The languages with rules of their own (rules/languages/<code>.yaml).
    languages: frozenset[str] = frozenset()
    # Who and what a house rule is about: a parent or carer taking a screen.
    house_rule_actors: frozenset[str] = frozenset()
    house_rule_things: frozenset[str] = frozenset()


def _language_files() -> list[str]:
    return sorted(f"languages/{p.name}" for p in Path(LANGUAGES_DIR).glob("*.yaml"))


def _load() -> _RiskRules:
    """Load the risk rule files; the other languages share one multilingual engine."""
    vocabulary = load_vocabulary()
    english = RuleEngine(
        shared_pipeline(),
        vocabulary,
        "risk",
        load_targets("risk_crisis.yaml", ("crisis",), HONOURS, DEFAULT_HONOURS)
        + load_targets("risk_concern.yaml", ("concern",), HONOURS, DEFAULT_HONOURS)
        + load_targets("risk_stressors.yaml", ("stressor",), HONOURS, DEFAULT_HONOURS),
        load_phrases("risk_idioms.yaml", "idioms"),
        load_modifiers("risk_context.yaml", CATEGORIES),
    )
    engines = [english]
    openers = set(vocabulary.sets["clause_openers"])
    files = _language_files()
    if files:
        words = load_vocabulary(files)
        engines.append(
            RuleEngine(
                TextPipeline(words, language="xx", fold_accents=True),
                words,
                "risk_lang",
                [t for f in files for t in load_targets(f, ("crisis", "concern"), HONOURS)],
                [p for f in files for p in load_phrases(f, "idioms")],
                [m for f in files for m in load_modifiers(f, CATEGORIES)],
            )
        )
        openers |= set(words.sets.get("clause_openers", ()))
    _check_signals(engines)
    return _RiskRules(
        tuple(engines),
        frozenset(openers),
        Tense(
            frozenset(vocabulary.sets["past_forms"]), frozenset(vocabulary.sets["present_forms"])
        ),
        frozenset(vocabulary.sets["others_after"]),
        frozenset(Path(f).stem for f in files),
        frozenset(vocabulary.sets["house_rule_actors"]),
        frozenset(vocabulary.sets["house_rule_things"]),
    )


def _check_signals(engines: Iterable[RuleEngine]) -> None:
    """Every rule's signal must belong to a taxonomy category or be an annotation."""
    known = taxonomy()
    for engine in engines:
        for rule in engine.rules:
            if known.category_of(rule.signal) is None and rule.signal not in known.annotations:
                raise ValueError(
                    f"rule {rule.key}: signal '{rule.signal}' is in no category of taxonomy.yaml"
                )


def risk_rules() -> _RiskRules:
    """The risk rules, loaded once per process on first use."""
    return cached("risk_rules", _load)


def trained_detector() -> RiskDetector:
    """The trained detector, loaded once per process; DetectorUnavailable if it was not built."""
    return cached("risk_detector", lambda: load(detector_path()))


def _denied(finding: Finding, words: tuple[str, ...], openers: frozenset[str]) -> bool:
    """A denial cue reaches the finding unless a comma opening a new clause stands between them."""
    for cue in finding.modifiers:
        if cue.category == "NEGATED" and not any(
            words[i] == "," and i + 1 < len(words) and words[i + 1] in openers
            for i in range(cue.end, finding.start)
        ):
            return True
    return False


# Cues that date or close a story told in the past.
_CLOSING = frozenset({"HISTORICAL", "STOPPED", "RESOLVED", "CLOSED", "MILESTONE"})


def _narrated(finding: Finding, analysis: Analysis, tense: Tense) -> bool:
    """Told as past in a message that dates or closes it.

    * Told in the past tense, with a date or a close anywhere: "In my fifties I went through a
      long period of wanting to die", "I had anorexia from 16 to 19 ... now I eat with friends".
    * Told without a tense (a noun, an urge, a clinician's note), with a date or a close that
      says it ended: "a flicker of the old urge to cut ... it passed and hasn't come back",
      "Self-harm from 14 to 19. None since." Feeling well or proud is not enough here, and a
      recent time anywhere ("last night", "on Sunday") keeps it current.

    Without a date or a close ("I wanted to die. I'm fine now") the past tense alone does not
    count, and a match told in the present ("I want to die. Years ago it passed") never does.
    """
    outside = [c for c in analysis.cues if c.end <= finding.start or c.start >= finding.end]
    told = "past" if finding.has("PAST") else _tense(finding, analysis.words, tense)
    if told == "past":
        # A date anywhere; an ending only after the match, in the order the story is told:
        # "I've been in recovery a long time ... after the breakup I took my pills" is a relapse.
        return any(
            cue.category == "HISTORICAL" or (cue.category in _CLOSING and cue.start >= finding.end)
            for cue in outside
        )
    if told == "present" or not tense.present or _recent(outside):
        return False
    return any(
        cue.category == "CLOSED"
        or (cue.category == "HISTORICAL" and 0 <= cue.start - finding.end <= DATE_REACH)
        for cue in outside
    )


def _tense(finding: Finding, words: tuple[str, ...], tense: Tense) -> str | None:
    """ "past" or "present" by the tense word nearest the start of the match (its first word or
    one of the four before it), or None when there is none."""
    for word in reversed(words[max(0, finding.start - TENSE_REACH) : finding.start + 1]):
        if word in tense.past:
            return "past"
        if word in tense.present:
            return "present"
    return None


def _milestone_of(finding: Finding, analysis: Analysis) -> bool:
    """The match is what a count of clean time counts from: inside the milestone ("two year
    self harm free") or its object right after it ("one year free of bingeing and purging",
    "the anniversary of my suicide attempt"), and nothing says it is back."""
    if finding.has("ONGOING") or finding.has("RETURNED"):
        return False
    return any(
        cue.category == "MILESTONE"
        and cue.start <= finding.start
        and finding.start - cue.end <= MILESTONE_REACH
        and not any(word in _CLAUSE_TURNS for word in analysis.words[cue.end : finding.start])
        for cue in analysis.cues
    )


def _recent(cues: Iterable[Modifier]) -> bool:
    """Whether any of `cues` is a recent time ("last night", "on Sunday")."""
    return any(cue.category == "RECENT" for cue in cues)


def _closed_later(finding: Finding, analysis: Analysis, tense: Tense) -> bool:
    """Returned, then closed again: the match is told as having come back (RETURNED), a
    CLOSED cue follows it and every return, no recent time is named anywhere, and the match is
    not told in the present: "the urge to hurt myself came back last spring, but it passed.
    Nothing since". "It passed, but it came back", "I cut again, the urge is gone now" (an act,
    ONGOING) and "I want to cut, it came back ... it passed" (present) stay current."""
    if not finding.has("RETURNED") or finding.has("ONGOING"):
        return False
    if _recent(analysis.cues):
        return False
    if _tense(finding, analysis.words, tense) == "present":
        return False
    closes = [c.start for c in analysis.cues if c.category == "CLOSED" and c.start >= finding.end]
    returns = [c.start for c in analysis.cues if c.category in ("ONGOING", "RETURNED")]
    return bool(closes) and max(closes) > max(returns)


def _parent_takes_a_screen(finding: Finding, analysis: Analysis, rules: _RiskRules) -> bool:
    """Whether the match is a parent or carer taking a screen (house_rule_actors and
    house_rule_things in vocabulary.yaml): the only case a house rule can explain."""
    words = set(analysis.words[finding.start : finding.end])
    return bool(words & rules.house_rule_actors) and bool(words & rules.house_rule_things)


def _cue_near(finding: Finding, analysis: Analysis, category: str) -> bool:
    """A cue of `category` within EVERYDAY_REACH words of the match, on either side, even across
    a full stop: "Cut my hand on the mower blade. My own fault."."""
    return any(
        cue.category == category
        and cue.start - finding.end <= EVERYDAY_REACH
        and finding.start - cue.end <= EVERYDAY_REACH
        for cue in analysis.cues
    )


def _outcome(finding: Finding, analysis: Analysis, rules: _RiskRules, tense: Tense) -> str | None:
    """The level one finding contributes once its context is taken into account; `tense` is
    the rule language's tense words (empty for the other languages, which rely on their cues)."""
    honours = finding.rule.honours
    if "history" in honours and any(
        cue.category == "CLOSED" and cue.start <= finding.start and finding.end <= cue.end
        for cue in analysis.cues
    ):
        return None  # the match is what the client says ended: "I haven't hurt myself since"
    if "negation" in honours and _denied(finding, analysis.words, rules.clause_openers):
        return None
    if "hypothetical" in honours and finding.has("HYPOTHETICAL"):
        return None
    if "fear" in honours and finding.has("FEAR"):
        return None
    if (
        finding.has("QUOTED")
        and any(cue.category == "EXPLAINED" for cue in analysis.cues)
        and not any(cue.category == "DELIBERATE" for cue in analysis.cues)
    ):
        return None  # "when I said I wanted to die I meant the exam": explained, not disclosed
    ends = analysis.words[max(finding.start, finding.end - 1) : finding.end + 1]
    if any(word in _THIRD_PERSON_REFLEXIVES for word in ends):
        return None  # whose body it is: "burning himself with a lighter", "to hurt herself"
    told_of_client = any(
        word in _CLIENT_WORDS for word in analysis.words[finding.start : finding.end + 1]
    )  # "the guy from my gym raped me": someone else acts, the client is the one it is done to
    if (
        "other_person" in honours
        and not told_of_client
        and (
            finding.nearest(("OTHER_PERSON", "SELF")) == "OTHER_PERSON"
            or (
                finding.end < len(analysis.words)
                and analysis.words[finding.end] in rules.others_after
            )
        )
    ):
        return None
    meant = any(cue.category == "DELIBERATE" for cue in analysis.cues)
    if any(
        honour in honours
        and _cue_near(finding, analysis, cue)
        and not (meant and undone)
        and (honour != "house_rule" or _parent_takes_a_screen(finding, analysis, rules))
        for honour, cue, undone in _EVERYDAY
    ):
        return None
    dated = (
        any(cue.category == "HISTORICAL" for cue in analysis.cues)
        and finding.rule.past_reach == "message"
    )
    past = (
        finding.has("STOPPED")
        or _milestone_of(finding, analysis)
        or _closed_later(finding, analysis, tense)
        or (
            (finding.has("HISTORICAL") or dated or _narrated(finding, analysis, tense))
            and not finding.has("ONGOING")
            and not finding.has("RETURNED")
            and not _recent(finding.modifiers)
        )
    )
    if "history" in honours and past:
        if finding.rule.level not in ("crisis", "concern"):
            return None  # a stressor long past is no stressor now
        resolved = any(cue.category in ("RESOLVED", "CLOSED", "MILESTONE") for cue in analysis.cues)
        return None if resolved or finding.rule.if_past == "none" else "concern"
    return finding.rule.level


def _hits(
    analysis: Analysis, rules: _RiskRules, context: RiskContext, tense: Tense = Tense()
) -> Iterable[_Hit]:
    """The signals of one analysed chunk, each at the level it counts."""
    retractions = [cue.start for cue in analysis.cues if cue.category == "RETRACTION"]
    kept = [
        (f, level)
        for f in analysis.findings
        if (not f.rule.answering or context.slot in f.rule.answering)
        and (level := _outcome(f, analysis, rules, tense))
    ]
    specific = [(f.start, f.end) for f, _ in kept if not f.rule.fallback]
    for finding, level in kept:
        if finding.rule.fallback and any(
            finding.start < end and start < finding.end for start, end in specific
        ):
            continue
        if level == finding.rule.level:
            yield _Hit(finding.rule.signal, level, finding.rule.alone, bool(finding.rule.answering))
        else:
            yield _Hit(PAST_SIGNAL, level)
        if level == "crisis" and any(start >= finding.end for start in retractions):
            yield _Hit(RETRACTION_SIGNAL, "annotation")


def _resolve(hits: list[_Hit], context: RiskContext) -> tuple[dict[str, str], tuple[str, ...]]:
    """Signal -> level, after `alone:` rules are weighed against distress here or just before."""
    distress_here = any(
        (hit.alone is None and hit.level in ("concern", "crisis")) or hit.signal == STRESSOR_SIGNAL
        for hit in hits
    )
    distress_before = context.recent_distress()
    used: list[str] = []
    found: dict[str, str] = {}
    for hit in hits:
        level = hit.level
        if hit.answering:
            used.append(f"answering={context.slot}")
        if hit.alone is not None and level == "crisis":
            if distress_here:
                used.append("distress_in_message")
            elif distress_before:
                used.append("distress_before")
            else:
                level = hit.alone
        if level in _RANK or level in ("annotation", "stressor"):
            current = found.get(hit.signal)
            if current is None or _RANK.get(level, -1) > _RANK.get(current, -1):
                found[hit.signal] = level
    return found, tuple(dict.fromkeys(used))


def _rules_verdict(
    text: str, context: RiskContext, language: str = ENGLISH
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The rules' signals and the context they used. A message surely written in one of the
    other languages is read by that language's rules only: the English rules would take its
    loanwords ("anorexia", "suicidio") without the dates and denials around them."""
    rules = risk_rules()
    hits: list[_Hit] = []
    english, *others = rules.engines
    foreign = language in rules.languages
    for piece in chunks(text):
        if not foreign:
            hits.extend(_hits(english.analyse(piece), rules, context, rules.tense))
        for engine in others:
            if foreign or engine.may_match(piece):
                hits.extend(_hits(engine.analyse(piece), rules, context))
    return _resolve(hits, context)


def _detector_verdict(text: str) -> DetectorVerdict:
    """The detector on each chunk of a long message, each sentence read once; the chunk with
    the highest crisis score."""
    model = trained_detector()
    verdicts = [model.verdict(piece) for piece in chunks(distinct_sentences(text))]
    return max(verdicts, key=lambda v: (_RANK[v.level], v.crisis_score))


def _categories(found: dict[str, str], model: tuple[str, str] | None) -> tuple[str, ...]:
    """The taxonomy categories found, crisis ones first (rules first, then the model's)."""
    known = taxonomy()
    ranked: dict[str, int] = {}
    for signal, level in found.items():
        category = known.category_of(signal)
        if category is not None and level in _RANK:
            # A past crisis signal counts as distress (history_of_risk is reported separately).
            name = category if level == known.categories[category].level else "distress"
            ranked[name] = max(ranked.get(name, 0), _RANK[level])
    if model is not None:
        category, level = model
        ranked.setdefault(category, _RANK[level])
    return tuple(sorted(ranked, key=lambda c: -ranked[c]))


def assess_risk(text: str, context: RiskContext | None = None) -> RiskAssessment:
    """Assess one client message; never raises on odd input, and scans all of a long text.

    `context` gives the exercise slot the message answers and the client's last few messages.
    Raises DetectorUnavailable if the learned detector was never built (run make).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    context = context or NO_CONTEXT
    text = normalise(text)
    if not text.strip():
        return RiskAssessment("none", ())
    language = language_of(text)
    found, used = _rules_verdict(text, context, language)
    rules_level = max(
        (lvl for lvl in found.values() if lvl in _RANK), key=_RANK.__getitem__, default="none"
    )
    verdict = _detector_verdict(text)
    modelled = verdict.level
    if len(_WORDS.findall(text)) < trained_detector().config.min_words:
        modelled = "none"  # too short to judge; kept in the detail, not in the level
        used = (*used, "too_short_for_model")
    # Either detector can raise the level; neither lowers the other's.
    level: Level = max((rules_level, modelled), key=_RANK.__getitem__)  # type: ignore[assignment]
    order = sorted(found, key=lambda s: -_RANK.get(found[s], -1))
    return RiskAssessment(
        level=level,
        signals=tuple(order),
        categories=_categories(found, (verdict.category, modelled) if modelled != "none" else None),
        language=language,
        rules_level=rules_level,
        model_level=modelled,
        detector=verdict,
        context_used=used,
    )
