"""Safety rails for Reflect: assess each client message for risk, and check each bot reply.

Rule data lives in guardrails/rules/*.yaml; see guardrails/README.md. The spaCy/medspaCy
pipeline loads lazily on first use and is shared by both rails.
"""

from guardrails.context import PriorMessage, RiskContext
from guardrails.detector import DetectorUnavailable
from guardrails.language import warm_up as warm_up_language
from guardrails.reply import (
    ReplyVerdict,
    check_free_text,
    check_reply,
    check_reply_to,
    replacement_for,
    reply_engine,
)
from guardrails.risk import RiskAssessment, assess_risk, risk_rules, trained_detector


def warm_up() -> None:
    """Load both rails now, so the first client message does not wait for loading.

    Raises DetectorUnavailable if the learned detector was never trained (run `make train`),
    and RuleFileError for a broken rule file: a bad deployment fails at start, not mid-crisis.
    """
    risk_rules()
    trained_detector()
    warm_up_language()
    reply_engine()


__all__ = [
    "DetectorUnavailable",
    "PriorMessage",
    "ReplyVerdict",
    "RiskAssessment",
    "RiskContext",
    "assess_risk",
    "check_free_text",
    "check_reply",
    "check_reply_to",
    "replacement_for",
    "warm_up",
]
