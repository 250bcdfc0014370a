"""Rule files: every rule is explained and compiles; mistakes give a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.tokens import Doc

from guardrails import reply, risk
from guardrails.anchored import AnchoredMatcher
from guardrails.patterns import PatternCompiler, PatternError
from guardrails.pipeline import shared_pipeline
from guardrails.rulefiles import (
    RULES_DIR,
    RuleFileError,
    load_modifiers,
    load_targets,
    load_vocabulary,
)

TARGET_FILES = {
    "risk_crisis.yaml": (("crisis",), risk.HONOURS),
    "risk_concern.yaml": (("concern",), risk.HONOURS),
    "reply_rules.yaml": (reply.REPLY_LEVELS, reply.HONOURS),
}


@pytest.mark.parametrize("name", sorted(TARGET_FILES))
def test_every_target_rule_says_why_and_compiles(name: str) -> None:
    levels, honours = TARGET_FILES[name]
    rules = load_targets(name, levels, honours)
    compiler = PatternCompiler(shared_pipeline().words, load_vocabulary().sets)
    assert rules
    for rule in rules:
        assert len(rule.why) > 20, rule.key
        for pattern in rule.patterns:
            assert compiler.compile(pattern), pattern


@pytest.mark.parametrize(
    ("name", "categories"),
    [("risk_context.yaml", risk.CATEGORIES), ("reply_context.yaml", reply.CATEGORIES)],
)
def test_every_context_cue_says_why(name: str, categories: tuple[str, ...]) -> None:
    for rule in load_modifiers(name, categories):
        assert len(rule.why) > 20


def test_every_yaml_file_in_the_rules_folder_is_valid() -> None:
    for path in RULES_DIR.glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path.name


def test_near_sets_exist() -> None:
    sets = load_vocabulary().sets
    for name in ("risk_crisis.yaml", "risk_concern.yaml"):
        for rule in load_targets(name, ("crisis", "concern"), risk.HONOURS):
            for near in rule.near:
                assert near.set in sets, rule.key


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules:\n  - signal: x\n    level: crisis\n    patterns: [a]\n", "'why'"),
        ("rules:\n  - signal: x\n    level: maybe\n    why: because\n    patterns: [a]\n", "level"),
        (
            "rules:\n  - signal: x\n    level: crisis\n    why: because\n    patterns: []\n",
            "patterns",
        ),
        (
            "rules:\n  - signal: x\n    level: crisis\n    why: w\n    honours: [luck]\n"
            "    patterns: [a]\n",
            "honours",
        ),
        ("rules: [oops\n", "not valid YAML"),
        ("- just a list\n", "mapping"),
    ],
)
def test_broken_rule_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=message):
        load_targets(write(tmp_path, text), ("crisis",), risk.HONOURS)


def test_a_clinician_can_add_a_rule_in_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules:\n"
        "  - signal: test_signal\n"
        "    level: crisis\n"
        "    why: An example rule added by a clinician.\n"
        '    patterns: ["(want to|wanna) vanish for good"]\n',
    )
    rule = load_targets(path, ("crisis",), risk.HONOURS)[0]
    matcher = AnchoredMatcher(shared_pipeline().nlp.vocab)
    compiler = PatternCompiler(shared_pipeline().words, load_vocabulary().sets)
    matcher.add(rule.key, [p for text in rule.patterns for p in compiler.compile(text)])
    doc = shared_pipeline().make_doc("Some days I wanna vanish for good.")
    assert [key for key, _, _ in matcher(doc)] == [rule.key]


def test_unknown_word_set_is_reported() -> None:
    compiler = PatternCompiler(shared_pipeline().words, load_vocabulary().sets)
    with pytest.raises(PatternError, match="@no_such_set"):
        compiler.compile("i want @no_such_set")


def test_the_anchored_cue_matcher_finds_what_medspacys_finds() -> None:
    """ConText's cues are found by the anchored matcher; medspaCy's own must agree on every
    message of the training rounds read by each engine (every tenth, to keep the test short)."""
    from guardrails.rounds import training_examples
    from guardrails.text import normalise

    def cues(doc: Doc, matches: list[tuple[int, int, int]]) -> list[tuple[str, int, int]]:
        # ConText names each rule CATEGORY_n; two rules of one category on one span are alike.
        return sorted((doc.vocab.strings[m].rsplit("_", 1)[0], a, b) for m, a, b in matches)

    examples = training_examples()[::10]
    assert len(examples) > 2000
    for engine in risk.risk_rules().engines:
        for example in examples:
            doc = engine._pipeline.make_doc(normalise(example.text))
            anchored = engine._context._ConText__matcher(doc)
            assert cues(doc, anchored) == cues(doc, engine.medspacy_cue_matcher(doc)), example.id
