"""Rule engine shared by both rails: spaCy Matcher targets, idiom filter, medspaCy ConText."""

from __future__ import annotations

from dataclasses import dataclass

from medspacy.common.util import prune_overlapping_matches
from medspacy.context import ConText, ConTextRule
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from guardrails.anchored import AnchoredMatcher
from guardrails.patterns import PatternCompiler, PatternError
from guardrails.pipeline import TextPipeline
from guardrails.rulefiles import ModifierRule, Near, TargetRule, Vocabulary


class _AnchoredCueMatcher:
    """ConText's cue matcher, with the same rules filed under anchors (guardrails/anchored.py).

    medspaCy's own matcher runs every cue pattern at every token, which made the cues most of
    the input rail's cost. This one finds the same matches and prunes overlaps the same way
    (the longer cue wins); between cues of the same span, the one listed first in the rule file
    wins. tests/guardrails/test_rules.py checks it against medspaCy's matcher.
    """

    def __init__(self, vocab: Vocab, rule_map: dict[str, ConTextRule]):
        self.rule_map = rule_map
        self._matcher = AnchoredMatcher(vocab)
        self._strings = vocab.strings
        self._order: dict[str, int] = {}

    def add(self, rule: ConTextRule) -> None:
        """Files a rule already added to ConText, under the id ConText gave it."""
        self._order[rule._rule_id] = len(self._order)
        self._matcher.add(rule._rule_id, [rule.pattern])

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = sorted(self._matcher(doc), key=lambda m: (m[1], m[2], self._order[m[0]]))
        return prune_overlapping_matches([(self._strings.add(k), a, b) for k, a, b in found])


@dataclass(frozen=True)
class Modifier:
    """A context cue (negation, past time, someone else...) found in the text."""

    category: str
    start: int
    end: int


@dataclass(frozen=True)
class Finding:
    """A target that survived idiom filtering, with the context cues ConText linked to it."""

    rule: TargetRule
    start: int
    end: int
    modifiers: tuple[Modifier, ...]

    def has(self, category: str) -> bool:
        """Whether any linked cue is of this category."""
        return any(m.category == category for m in self.modifiers)

    def nearest(self, categories: tuple[str, ...]) -> str | None:
        """Category of the closest linked cue, preferring cues before the target (subjects)."""
        best = None
        for m in self.modifiers:
            if m.category in categories:
                after = m.end > self.start
                gap = m.start - self.end if after else self.start - m.end
                if best is None or (after, gap) < best[0]:
                    best = ((after, gap), m.category)
        return best[1] if best else None


@dataclass(frozen=True)
class Analysis:
    """Everything one rail needs from one piece of text."""

    findings: tuple[Finding, ...]
    cues: tuple[Modifier, ...]
    words: tuple[str, ...]


class RuleEngine:
    """Finds targets with spaCy matchers, drops idioms, links context cues with medspaCy ConText."""

    def __init__(
        self,
        pipeline: TextPipeline,
        vocabulary: Vocabulary,
        name: str,
        targets: list[TargetRule],
        idioms: list[tuple[str, tuple[str, ...]]],
        modifiers: list[ModifierRule],
    ):
        self._pipeline = pipeline
        nlp = pipeline.nlp
        compiler = PatternCompiler(pipeline.words, vocabulary.sets)
        self._group = f"{name}_targets"
        self._rules = {rule.key: rule for rule in targets}
        self._targets = AnchoredMatcher(nlp.vocab)
        for rule in targets:
            self._targets.add(rule.key, _compiled(compiler, rule.key, rule.patterns))
        self._idioms = AnchoredMatcher(nlp.vocab)
        for index, (_, patterns) in enumerate(idioms):
            self._idioms.add(
                f"{name}_idiom#{index}", [p for text in patterns for p in compiler.compile(text)]
            )
        self._near = AnchoredMatcher(nlp.vocab)
        for set_name in {near.set for rule in targets for near in rule.near}:
            self._near.add(set_name, compiler.compile(f"@{set_name}"))
        self._context = ConText(
            nlp,
            name=f"{name}_context",
            rules=None,
            input_span_type="group",
            span_group_name=self._group,
            span_attrs=None,
        )
        cue_rules = [
            ConTextRule(
                literal=f"{rule.category}:{text}#{index}.{variant}",
                category=rule.category,
                pattern=pattern,
                direction=rule.direction.upper(),
                max_scope=rule.max_scope,
                terminated_by=set(rule.stopped_by),
            )
            for rule in modifiers
            for index, text in enumerate(rule.patterns)
            for variant, pattern in enumerate(compiler.compile(text))
        ]
        self._context.add(cue_rules)
        # ConText keeps its matcher private; the anchored one takes its place (same matches).
        self.medspacy_cue_matcher = self._context._ConText__matcher  # kept for the check
        cues = _AnchoredCueMatcher(nlp.vocab, self.medspacy_cue_matcher.rule_map)
        for cue_rule in cue_rules:
            cues.add(cue_rule)
        self._context._ConText__matcher = cues

    @property
    def rules(self) -> tuple[TargetRule, ...]:
        """The target rules this engine looks for."""
        return tuple(self._rules.values())

    def may_match(self, text: str) -> bool:
        """A cheap first look: False only when no target pattern can match this text, so the
        text need not be tokenised at all (used for the other-language rules)."""
        return self._targets.may_match(self._pipeline.rough_words(text))

    def analyse(self, text: str) -> Analysis:
        """Run targets, idioms and context over one piece of text (one caller at a time)."""
        with self._pipeline.lock:
            return self._analyse(text)

    def _analyse(self, text: str) -> Analysis:
        """The work of analyse(), run under the pipeline lock."""
        doc = self._pipeline.make_doc(text)
        spans = self._target_spans(doc)
        if not spans:
            return Analysis((), (), ())
        doc.spans[self._group] = spans
        self._context(doc)
        graph = doc._.context_graph
        cues = tuple(Modifier(m.category, *m.modifier_span) for m in graph.modifiers)
        findings = tuple(
            Finding(self._rules[span.label_], span.start, span.end, self._outside(span))
            for span in spans
        )
        return Analysis(findings, cues, tuple(token.norm_ for token in doc))

    @staticmethod
    def _outside(span: Span) -> tuple[Modifier, ...]:
        """Cues linked to a target, minus any inside it (the "not" of "don't want to live")."""
        cues = (Modifier(m.category, *m.modifier_span) for m in span._.modifiers)
        return tuple(cue for cue in cues if cue.end <= span.start or cue.start >= span.end)

    def _target_spans(self, doc: Doc) -> list[Span]:
        """Matched targets, minus idioms and minus targets lacking their required nearby words."""
        matches = self._targets(doc)
        if not matches:
            return []
        idioms = [(start, end) for _, start, end in self._idioms(doc)]
        context: _NearContext | None = None
        spans: dict[tuple[str, int, int], Span] = {}
        for key, start, end in matches:
            if any(start < i_end and i_start < end for i_start, i_end in idioms):
                continue
            rule = self._rules[key]
            if rule.near:
                context = context or _NearContext(doc, self._near(doc))
                if not all(context.holds(near, start, end) for near in rule.near):
                    continue
            spans.setdefault((key, start, end), Span(doc, start, end, label=key))
        return list(spans.values())


def _compiled(compiler: PatternCompiler, where: str, patterns: tuple[str, ...]) -> list[list[dict]]:
    """The token patterns of a rule; a broken pattern is reported with the rule it belongs to."""
    try:
        return [p for text in patterns for p in compiler.compile(text)]
    except PatternError as error:
        raise PatternError(f"{where}: {error}") from error


class _NearContext:
    """Where each near-set word occurs in a doc, and which sentence each token is in."""

    def __init__(self, doc: Doc, found: list[tuple[str, int, int]]):
        self._found = found
        self._sentence = (doc.to_array(SENT_START).astype("int64") == 1).cumsum()

    def holds(self, near: Near, start: int, end: int) -> bool:
        """Whether a word of `near.set` lies close enough to the target (outside it)."""
        for name, s, e in self._found:
            if name != near.set or (start <= s and e <= end):
                continue
            if s - end > near.within or start - e > near.within:
                continue
            if near.same_sentence and self._sentence[s] != self._sentence[start]:
                continue
            return True
        return False
