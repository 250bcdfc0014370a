"""How a risk assessment travels from the entry point to Rasa, in the message's metadata."""

from __future__ import annotations

from typing import Any

from guardrails.risk import RiskAssessment
from guardrails.taxonomy import LEVELS

RISK_KEY = "risk"
# The intents the risk component sets over the model's guess (never predicted by the model).
CRISIS_INTENT = "crisis"
DISTRESS_INTENT = "distress"


def to_metadata(assessment: RiskAssessment) -> dict[str, Any]:
    return {
        RISK_KEY: {
            "level": assessment.level,
            "signals": list(assessment.signals),
            "categories": list(assessment.categories),
            "language": assessment.language,
        }
    }


def _names(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        return None
    return tuple(value)


def from_metadata(metadata: Any) -> RiskAssessment | None:
    """The entry point's assessment, if the metadata carries a well-formed one."""
    risk = metadata.get(RISK_KEY) if isinstance(metadata, dict) else None
    if not isinstance(risk, dict) or risk.get("level") not in LEVELS:
        return None
    signals = _names(risk.get("signals", []))
    categories = _names(risk.get("categories", []))
    language = risk.get("language", "en")
    if signals is None or categories is None or not isinstance(language, str):
        return None
    return RiskAssessment(risk["level"], signals, categories, language)
