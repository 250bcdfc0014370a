"""What a client in crisis reads; the entry point and the Rasa action share these words."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from bot.escalation.config import LINE_KINDS, LineKind, crisis_lines
from bot.settings import Settings
from bot.storage.deliveries import DeliveryStatus, Reach, deliveries_of, reach
from bot.storage.escalations import active_escalation
from bot.storage.models import Client, Escalation, SafetyPlan

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
# Who has word of the escalation, said as it is at that moment (bot/storage/deliveries.py).
WHO_KNOWS: dict[Reach, str] = {
    "telling": (
        "I'm letting the on-call clinician from your care team know, so a person can reach out "
        "to you."
    ),
    "told": (
        "The on-call clinician from your care team has been told, so a person can reach out to you."
    ),
    "still_trying": (
        "I haven't been able to reach the on-call clinician from your care team yet, and I'm "
        "still trying. Please don't wait for them: reach out to one of these lines now."
    ),
    "nobody": (
        "I can't reach an on-call clinician from here, so please contact your care team or one "
        "of these lines now."
    ),
}
# When the database cannot be reached, nothing is stored and nobody can be told: said plainly.
UNSAVED = (
    "Part of this service is down right now, so I couldn't save your message or let anyone "
    "from your care team know. Please don't wait for us: reach out to one of these lines now."
)
THERAPIST_TOO = "I'm letting your therapist know as well."
STILL_HERE = "I'm still here and I read what you wrote."
HANDED_OVER = "Of course."
# After who has word: honest that a person may take a while, and what to do meanwhile.
WHILE_YOU_WAIT = (
    "A person may not be able to reply straight away. If it can wait, tell me it's not urgent "
    "and they'll see that. If you don't feel safe before they reach you, tell me, or call your "
    "local emergency number."
)
NOTED_NOT_URGENT = (
    "Thank you, I've noted that it can wait. Your request for a person stays open, and we can "
    "carry on here in the meantime if you like."
)
NOTHING_WAITING = (
    "There's no request for a person waiting right now. If you'd like one, just ask to talk "
    "to someone."
)
NOT_A_PERSON = "I'm an automated companion, so I can't be with you the way a person can."
# Abuse and violence get validation and the lines that help with them, not the suicide question.
SAFEGUARDING_OPENING = (
    "Thank you for telling me. What you describe is serious, it is not your fault, and you "
    "deserve to be safe."
)
LINE_INTROS: dict[LineKind, str] = {
    "crisis": "If you might act on these thoughts or you are in danger, please reach someone now:",
    "safeguarding": (
        "If you are in danger now, or want to talk to people who help with abuse and assault:"
    ),
}
ENGLISH_ONLY = (
    "I'm sorry: I can only understand and answer in English, so I may have missed what you wrote."
)
# The same, in the languages whose risk the input rail reads (guardrails/rules/languages/).
ENGLISH_ONLY_IN = {
    "es": "Lo siento: solo entiendo y respondo en inglés, así que puede que no haya entendido "
    "lo que escribiste.",
    "fr": "Désolé : je ne comprends et ne réponds qu'en anglais, alors je n'ai peut-être pas "
    "compris ce que vous avez écrit.",
    "de": "Es tut mir leid: Ich verstehe und antworte nur auf Englisch, deshalb habe ich "
    "vielleicht nicht verstanden, was du geschrieben hast.",
    "pt": "Desculpe: só entendo e respondo em inglês, por isso posso não ter entendido o que "
    "você escreveu.",
    "pl": "Przepraszam: rozumiem i odpowiadam tylko po angielsku, więc ta wiadomość mogła "
    "zostać źle zrozumiana.",
    "ar": "عذرًا: أنا أفهم وأجيب باللغة الإنجليزية فقط، لذلك ربما لم أفهم ما كتبته.",
}
OTHER_LANGUAGE_LINES = "If you are struggling or in danger, please reach someone now:"


def _lines(
    settings: Settings, client: Client | None, kind: LineKind = "crisis", intro: str = ""
) -> str:
    locale = client.locale if client is not None else ""  # "": the file's default locale
    lines = crisis_lines(settings.config_path(settings.crisis_resources_file), locale, kind)
    return (intro or LINE_INTROS[kind]) + "\n" + "\n".join(f"- {line}" for line in lines)


def english_only(language: str) -> str:
    """Says honestly that the assistant works in English, in English and in `language` if known."""
    return " ".join(filter(None, (ENGLISH_ONLY, ENGLISH_ONLY_IN.get(language))))


def who_knows(session: Session, client_id: str, *, opening: bool) -> str:
    """What is true right now about who has word of the client's active escalation; on an
    `opening` turn, that their therapist is being told too, when they have one."""
    escalation = active_escalation(session, client_id)
    if escalation is None:
        return WHO_KNOWS["nobody"]
    statuses = deliveries_of(session, escalation)
    return _who_knows(reach(escalation, statuses), statuses, opening=opening)


def _who_knows(reached: Reach, statuses: Sequence[DeliveryStatus], *, opening: bool) -> str:
    said = WHO_KNOWS[reached]
    if opening and any(s.audience == "therapist" for s in statuses):
        said = f"{said} {THERAPIST_TOO}"
    return said


def _plan(session: Session, client_id: str) -> str | None:
    plan = session.get(SafetyPlan, client_id)
    if plan is None:
        return None
    parts = [(label, getattr(plan, field)) for field, label in PLAN_PARTS]
    written = [f"- {label}: {text}" for label, text in parts if text and text.strip()]
    return "Your safety plan, in your own words:\n" + "\n".join(written) if written else None


def crisis_reply(
    session: Session,
    settings: Settings,
    client_id: str,
    *,
    alerted: bool,
    asks: bool,
    kinds: frozenset[LineKind] = frozenset({"crisis"}),
) -> str:
    """The answer to a crisis: an opening, who was told, the lines `kinds` call for, the plan.

    `kinds` holds "crisis" (suicide, self-harm and other risk: the safety question, the crisis
    lines and the client's safety plan) and/or "safeguarding" (abuse or violence disclosed:
    validation without the safety question, and the safeguarding lines). `asks` is false for
    later turns in crisis mode, which get a shorter opening. With `alerted` (the client has an
    active escalation) it says who has word of it, as it is at that moment.
    """
    if not asks:
        first = STILL_HERE
    elif "crisis" in kinds:
        first = SAFETY_QUESTION
    else:
        first = SAFEGUARDING_OPENING
    opening = f"{first} {who_knows(session, client_id, opening=asks)}" if alerted else first
    return support_reply(
        session, settings, client_id, opening, tuple(k for k in LINE_KINDS if k in kinds)
    )


def unsaved_crisis_reply(settings: Settings, kinds: frozenset[LineKind]) -> str:
    """The answer to a crisis while the database cannot be reached: no escalation could be
    opened and nothing was stored, which it says, with the default locale's lines (the
    client's own locale is in that database) and no safety plan."""
    first = SAFETY_QUESTION if "crisis" in kinds else SAFEGUARDING_OPENING
    lines = [_lines(settings, None, kind) for kind in LINE_KINDS if kind in kinds]
    return "\n\n".join([f"{first} {UNSAVED}", *lines, NOT_A_PERSON])


def joined_crisis_reply(
    session: Session,
    settings: Settings,
    client_id: str,
    escalation: Escalation,
    kinds: frozenset[LineKind],
) -> str:
    """A crisis told while a clinician is in the chat: they have it, and the lines, briefly."""
    who = escalation.joined_by or "The clinician"
    client = session.get(Client, client_id)
    opening = (
        f"{who} from your care team is in this chat, and what you just wrote is marked for them."
    )
    lines = [_lines(settings, client, kind) for kind in LINE_KINDS if kind in kinds]
    return "\n\n".join((opening, *lines))


def other_language_reply(
    session: Session, settings: Settings, client_id: str, language: str
) -> str:
    """The answer to a message in another language: honest about English, with the lines."""
    client = session.get(Client, client_id)
    lines = _lines(settings, client, "crisis", OTHER_LANGUAGE_LINES)
    return "\n\n".join((english_only(language), lines))


def handoff_reply(session: Session, settings: Settings, client_id: str, *, alerted: bool) -> str:
    """The answer to asking for a person: who has word, as it is now (`alerted`: an escalation
    is active), and that it may take a while. The crisis lines come with it only when word has
    not got through, or cannot be sent from here; asking for a person is not a crisis."""
    escalation = active_escalation(session, client_id) if alerted else None
    if escalation is None:
        return support_reply(session, settings, client_id, f"{HANDED_OVER} {WHO_KNOWS['nobody']}")
    statuses = deliveries_of(session, escalation)
    reached = reach(escalation, statuses)
    said = _who_knows(reached, statuses, opening=True)
    if reached in ("still_trying", "nobody"):
        return support_reply(session, settings, client_id, f"{HANDED_OVER} {said}")
    return f"{HANDED_OVER} {said} {WHILE_YOU_WAIT}"


def support_reply(
    session: Session,
    settings: Settings,
    client_id: str,
    opening: str,
    kinds: tuple[LineKind, ...] = ("crisis",),
) -> str:
    """`opening`, the client's lines of each kind, their safety plan (with the crisis lines),
    and what we are."""
    client = session.get(Client, client_id)
    parts = [opening, *(_lines(settings, client, kind) for kind in kinds)]
    plan = _plan(session, client_id) if "crisis" in kinds else None
    if plan:
        parts.append(plan)
    parts.append(NOT_A_PERSON)
    return "\n\n".join(parts)
