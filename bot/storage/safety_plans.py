"""The client's safety plan: one current plan, changed part by part each time they redo it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from bot.storage.models import SafetyPlan

PARTS = (
    "warning_signs",
    "coping",
    "distractions",
    "people_to_ask",
    "professionals",
    "safer_surroundings",
)
SKIP_WORDS = {"skip", "pass", "-", "n/a"}


def save_plan(session: Session, client_id: str, answers: Mapping[str, str | None]) -> SafetyPlan:
    """Stores the parts the client answered; a skipped or missing part keeps what it said before."""
    plan = session.get(SafetyPlan, client_id) or SafetyPlan(client_id=client_id)
    for part in PARTS:
        answer = (answers.get(part) or "").strip()
        if answer and answer.lower() not in SKIP_WORDS:
            setattr(plan, part, answer)
    session.add(plan)
    session.flush()
    return plan


def replace_plan(session: Session, client_id: str, parts: Mapping[str, str]) -> SafetyPlan:
    """The plan as the web form shows it, every part at once: each as written, an empty one
    cleared ("skip" is kept as written here; it only means "pass" in the chat)."""
    plan = session.get(SafetyPlan, client_id) or SafetyPlan(client_id=client_id)
    for part in PARTS:
        setattr(plan, part, (parts.get(part) or "").strip() or None)
    session.add(plan)
    session.flush()
    return plan
