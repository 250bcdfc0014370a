"""Output rail: stop bot replies that minimise, force positivity or rush a distressed client.

* `check_reply`: the rules of rules/reply_rules.yaml, with their context cues
  (rules/reply_context.yaml), for the assistant's own texts.
* `check_free_text`: those rules and the learned reply check (guardrails/reply_model.py), trained
  on independently written replies labelled with the categories of rules/reply_taxonomy.yaml,
  for text nobody here wrote. The model's reasons are named "model:" and the category.
"""

from __future__ import annotations

from dataclasses import dataclass

from guardrails.engine import Finding, RuleEngine
from guardrails.pipeline import cached, shared_pipeline
from guardrails.reply_model import ReplyModel, load, model_path
from guardrails.risk import LEVELS, assess_risk
from guardrails.rulefiles import load_mapping, load_modifiers, load_targets, load_vocabulary
from guardrails.text import chunks, normalise

RULES_FILE = "reply_rules.yaml"
VERDICTS = ("allow", "block")
REPLY_LEVELS = ("block", "block_when_distressed")
HONOURS = ("negation", "reported")
CATEGORIES = ("NEGATED", "REPORTED", "PSEUDO", "BREAK")
DISTRESSED = frozenset({"concern", "crisis"})
MODEL_PREFIX = "model:"  # the learned check's reasons: this and the category it read


@dataclass(frozen=True)
class ReplyVerdict:
    """The output rail's decision on one reply and the rule names that caused a block."""

    verdict: str
    reasons: tuple[str, ...]


def reply_engine() -> RuleEngine:
    """The reply engine, built once per process on first use."""
    return cached(
        "reply_engine",
        lambda: RuleEngine(
            shared_pipeline(),
            load_vocabulary(),
            "reply",
            load_targets(RULES_FILE, REPLY_LEVELS, HONOURS),
            [],
            load_modifiers("reply_context.yaml", CATEGORIES),
        ),
    )


def trained_reply_check() -> ReplyModel:
    """The learned reply check, loaded once per process; ReplyCheckUnavailable if not built."""
    return cached("reply_check", lambda: load(model_path()))


def _replacements() -> dict[str, str]:
    """Replacement texts by signal, with a 'default'."""
    return cached("reply_replacements", lambda: load_mapping(RULES_FILE, "replacements"))


def _blocks(finding: Finding, distressed: bool) -> bool:
    """Whether one finding blocks the reply, given its context and the client's state."""
    honours = finding.rule.honours
    if "negation" in honours and finding.has("NEGATED"):
        return False
    if "reported" in honours and finding.has("REPORTED"):
        return False
    return finding.rule.level == "block" or distressed


def check_reply(text: str, user_level: str | None = None) -> ReplyVerdict:
    """Check one bot reply; `user_level` is the input rail's level for the client's last message."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    if user_level is not None and user_level not in LEVELS:
        raise ValueError(f"user_level must be one of {LEVELS} or None, not {user_level!r}")
    distressed = user_level in DISTRESSED
    text = normalise(text)
    reasons: dict[str, None] = {}
    if text.strip():
        engine = reply_engine()
        for piece in chunks(text):
            for finding in engine.analyse(piece).findings:
                if _blocks(finding, distressed):
                    reasons.setdefault(finding.rule.signal)
    return ReplyVerdict("block" if reasons else "allow", tuple(reasons))


def check_free_text(text: str, user_level: str | None = None) -> ReplyVerdict:
    """Check a reply the assistant did not write (a clinician's message, any text of unknown
    origin) with the rules and the learned reply check; `user_level` as for check_reply.

    The assistant's own texts are fixed, tested one by one in `make test` and paced by what they
    are; the learned check is the net for wording nobody here wrote.
    """
    ruled = check_reply(text, user_level)
    reasons = dict.fromkeys(ruled.reasons)
    text = normalise(text)
    if text.strip():
        model = trained_reply_check()
        scores = model.scores(text)
        if model.blocks(scores, user_level in DISTRESSED):
            reasons.setdefault(f"{MODEL_PREFIX}{scores.category}")
    return ReplyVerdict("block" if reasons else "allow", tuple(reasons))


def check_reply_to(text: str, user_text: str | None) -> ReplyVerdict:
    """Check a reply against the client's last message, assessed by the input rail."""
    level = None if user_text is None else assess_risk(user_text).level
    return check_reply(text, level)


def replacement_for(verdict: ReplyVerdict) -> str:
    """A short, warm, validating reply to send instead of a blocked one."""
    if verdict.verdict != "block":
        raise ValueError("only a blocked reply needs a replacement")
    texts = _replacements()
    names = (reason.removeprefix(MODEL_PREFIX) for reason in verdict.reasons)
    return next((texts[name] for name in names if name in texts), texts["default"])
