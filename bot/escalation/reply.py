"""What a client in crisis reads; the entry point and the Rasa action share these words."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.escalation.config import crisis_lines
from bot.settings import Settings
from bot.storage.models import Client, SafetyPlan

PLAN_PARTS = (
    ("warning_signs", "Warning signs you noticed"),
    ("coping", "What helps you cope"),
    ("distractions", "People and places that take your mind off things"),
    ("people_to_ask", "People you can ask for help"),
    ("professionals", "Professionals and crisis lines"),
    ("safer_surroundings", "Making your surroundings safer"),
)

SAFETY_QUESTION = (
    "Thank you for telling me. That sounds really painful, and I'm glad you said it. "
    "I want to ask you directly: are you safe right now?"
)
ALERTED = (
    "I've let the on-call clinician from your care team know, so a person can reach out to you."
)
STILL_HERE = "I'm still here and I read what you wrote."
HANDED_OVER = (
    "Of course. I've asked the on-call clinician from your care team to reach out to you, "
    "and they have been alerted."
)
NOBODY_TOLD = (
    "I can't reach a person from here, so please contact your care team or one of these lines."
)
NOT_A_PERSON = "I'm an automated companion, so I can't be with you the way a person can."


def _lines(settings: Settings, client: Client | None) -> str:
    locale = client.locale if client is not None else "US"
    lines = crisis_lines(settings.config_path(settings.crisis_resources_file), locale)
    return (
        "If you might act on these thoughts or you are in danger, please reach someone now:\n"
        + ("\n".join(f"- {line}" for line in lines))
    )


def _plan(session: Session, client_id: str) -> str | None:
    plan = session.get(SafetyPlan, client_id)
    if plan is None:
        return None
    parts = [(label, getattr(plan, field)) for field, label in PLAN_PARTS]
    written = [f"- {label}: {text}" for label, text in parts if text and text.strip()]
    return "Your safety plan, in your own words:\n" + "\n".join(written) if written else None


def crisis_reply(
    session: Session, settings: Settings, client_id: str, *, alerted: bool, asks: bool
) -> str:
    """The crisis answer: the safety question (`asks`), who was told, crisis lines, their plan."""
    first = SAFETY_QUESTION if asks else STILL_HERE
    return support_reply(session, settings, client_id, f"{first} {ALERTED}" if alerted else first)


def handoff_reply(session: Session, settings: Settings, client_id: str, *, alerted: bool) -> str:
    """The answer to asking for a person: who was told, and where help is while they wait."""
    return support_reply(session, settings, client_id, HANDED_OVER if alerted else NOBODY_TOLD)


def support_reply(session: Session, settings: Settings, client_id: str, opening: str) -> str:
    """`opening`, then the client's crisis lines, their safety plan if any, and what we are."""
    client = session.get(Client, client_id)
    parts = [opening, _lines(settings, client)]
    plan = _plan(session, client_id)
    if plan:
        parts.append(plan)
    parts.append(NOT_A_PERSON)
    return "\n\n".join(parts)
