"""How a risk assessment travels from the entry point to Rasa, in the message's metadata."""

from __future__ import annotations

from typing import Any

from guardrails.risk import LEVELS, RiskAssessment

RISK_KEY = "risk"
# The intents the risk component sets over the model's guess (never predicted by the model).
CRISIS_INTENT = "crisis"
DISTRESS_INTENT = "distress"


def to_metadata(assessment: RiskAssessment) -> dict[str, Any]:
    return {RISK_KEY: {"level": assessment.level, "signals": list(assessment.signals)}}


def from_metadata(metadata: Any) -> RiskAssessment | None:
    """The entry point's assessment, if the metadata carries a well-formed one."""
    risk = metadata.get(RISK_KEY) if isinstance(metadata, dict) else None
    if not isinstance(risk, dict) or risk.get("level") not in LEVELS:
        return None
    signals = risk.get("signals", [])
    if not isinstance(signals, list) or not all(isinstance(s, str) for s in signals):
        return None
    return RiskAssessment(risk["level"], tuple(signals))
