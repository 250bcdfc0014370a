"""Safety rails for Reflect: assess each client message for risk, and check each bot reply.

Rule data lives in guardrails/rules/*.yaml; see guardrails/README.md. The spaCy/medspaCy
pipeline loads lazily on first use and is shared by both rails.
"""

from guardrails.reply import (
    ReplyVerdict,
    check_reply,
    check_reply_to,
    replacement_for,
    reply_engine,
)
from guardrails.risk import RiskAssessment, assess_risk, risk_rules


def warm_up() -> None:
    """Load both rails now, so the first client message does not wait for loading."""
    risk_rules()
    reply_engine()


__all__ = [
    "ReplyVerdict",
    "RiskAssessment",
    "assess_risk",
    "check_reply",
    "check_reply_to",
    "replacement_for",
    "warm_up",
]
