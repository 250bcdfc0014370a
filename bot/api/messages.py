"""POST /v1/messages: store the message, escalate a crisis, ask the assistant, return replies."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from bot import rasa_client
from bot.api.deps import (
    authenticated_client,
    get_rate_limiter,
    get_session,
    get_settings,
    incoming_message,
    too_large,
)
from bot.api.errors import ApiError
from bot.api.schemas import ButtonOut, MessageIn, MessageOut, ReplyOut
from bot.escalation.concern import (
    ANSWERED_NO,
    SUICIDE_QUESTION,
    is_clear_no,
    needs_the_question,
    was_asked,
)
from bot.escalation.config import LineKind
from bot.escalation.escalate import (
    CRISIS_REASON,
    SAFEGUARDING_REASON,
    SAID_YES_REASON,
    escalate,
)
from bot.escalation.handoff import sync_rasa_pause
from bot.escalation.reply import crisis_reply, english_only, other_language_reply
from bot.rasa_client import BotReply
from bot.ratelimit import RateLimiter
from bot.risk_context import risk_context
from bot.risk_metadata import to_metadata
from bot.settings import Settings
from bot.storage.conversations import current_conversation, record, record_reply
from bot.storage.escalations import active_escalation
from bot.storage.models import Client, Escalation, Message
from guardrails import ReplyVerdict, RiskAssessment, assess_risk, check_reply, replacement_for

router = APIRouter()

LISTENING = (
    "I'm here and listening. You can tell me how things are, ask for an exercise, or say stop at "
    "any time."
)


def guard_reply(reply: BotReply, user_level: str) -> tuple[BotReply, str, ReplyVerdict | None]:
    """The reply to send, its original text, and the output rail's verdict if it was blocked."""
    verdict = check_reply(reply.text, user_level)
    if verdict.verdict == "allow":
        return reply, reply.text, None
    return BotReply(replacement_for(verdict)), reply.text, verdict


@router.post("/v1/messages", response_model=MessageOut)
def post_message(
    message: MessageIn = Depends(incoming_message),
    client: Client = Depends(authenticated_client),
    session: Session = Depends(get_session),
    settings: Settings = Depends(get_settings),
    limiter: RateLimiter = Depends(get_rate_limiter),
) -> MessageOut:
    conversation = current_conversation(session, client.id, settings.conversation_idle_minutes)
    risk = assess_risk(message.text, risk_context(session, conversation.id))
    active = active_escalation(session, client.id)
    in_crisis_mode = active is not None
    # A crisis, and anything said in crisis mode, is never held back by the rate limit.
    # Anything but a clear no to the suicide question is treated as a crisis.
    answered = was_asked(session, conversation.id)
    said_yes = answered and not is_clear_no(message.text)
    urgent = risk.level == "crisis" or in_crisis_mode or said_yes
    # Over the size the assistant reads: a crisis in it is answered here like any other; the
    # rest is kept in the transcript and refused, never dropped unread.
    oversize = len(message.text.encode("utf-8", "surrogatepass")) > settings.max_message_bytes
    if oversize and not urgent:
        record(session, conversation, "client", message.text, status="too_large", risk=risk)
        session.commit()
        raise too_large(settings.max_message_bytes, kept=True)
    wait_s = 0.0 if urgent else limiter.try_acquire(client.id)
    if wait_s:
        # Kept in the transcript even though the assistant does not answer it.
        record(session, conversation, "client", message.text, status="rate_limited", risk=risk)
        session.commit()
        seconds = math.ceil(wait_s)
        raise ApiError(
            429,
            "rate_limited",
            f"That was a lot of messages at once. Please wait {seconds} s and send it again.",
            headers={"Retry-After": str(seconds)},
        )
    stored = record(session, conversation, "client", message.text, risk=risk)
    # The client's words are durable before any configuration or other service is touched.
    session.commit()
    joined = active is not None and active.joined_by is not None
    # Rasa's tracker is paused exactly while a clinician is joined (retried here if the CLI
    # could not reach Rasa); a failed resume is caught below, as Rasa being unreachable.
    in_line = sync_rasa_pause(settings, client, joined)
    if joined:
        # A clinician is in the chat: they answer, and the bot stays quiet.
        session.commit()
        return MessageOut(conversation_id=conversation.id, replies=[])
    if risk.level == "crisis" and not in_crisis_mode:
        reason = SAFEGUARDING_REASON if risk.replies() == {"safeguarding"} else CRISIS_REASON
        escalate(session, settings, stored, client.id, reason)
    elif said_yes and not in_crisis_mode:
        escalate(session, settings, stored, client.id, SAID_YES_REASON)
    # The message, and any escalation, are durable before anything is answered.
    session.commit()
    if urgent:
        asks = risk.level == "crisis" or said_yes
        # Only a new crisis goes to Rasa, to end any exercise; a "yes" would start one instead.
        forward = risk.level == "crisis" and not in_crisis_mode
        replies = crisis_replies(
            session, settings, client.id, stored, risk, forward, asks, reply_kinds(risk, active)
        )
    elif answered:
        # A clear no: thanked, and not passed on, so Rasa never reads it as a no to its offer.
        replies = [BotReply(ANSWERED_NO)]
    elif risk.language != "en":
        # The assistant works in English: said honestly, with the client's lines, not guessed at.
        replies = [BotReply(other_language_reply(session, settings, client.id, risk.language))]
    else:
        # Rasa says nothing to some messages (a "yes" to nothing); the client never gets silence.
        replies = assistant_replies(session, settings, client.id, stored, risk, in_line) or [
            BotReply(LISTENING)
        ]
        if needs_the_question(risk):
            replies.append(BotReply(SUICIDE_QUESTION))
    # In crisis mode the output rail treats every turn as a crisis: no growth prompt gets out.
    checked = [guard_reply(reply, "crisis" if urgent else risk.level) for reply in replies]
    for reply, original, verdict in checked:
        record_reply(session, conversation, reply.text, verdict, original)
    session.commit()
    return MessageOut(
        conversation_id=conversation.id,
        replies=[
            ReplyOut(
                text=r.text,
                buttons=[ButtonOut(title=b.title, payload=b.payload) for b in r.buttons],
            )
            for r, _, _ in checked
        ],
    )


def reply_kinds(risk: RiskAssessment, active: Escalation | None) -> frozenset[LineKind]:
    """The lines a crisis turn shows: what this message calls for, else what the open
    escalation was for (a safeguarding escalation keeps its safeguarding lines)."""
    kinds = risk.replies()
    if kinds:
        return kinds  # type: ignore[return-value]
    if active is not None and active.reason == SAFEGUARDING_REASON:
        return frozenset({"safeguarding"})
    return frozenset({"crisis"})


def assistant_replies(
    session: Session,
    settings: Settings,
    client_id: str,
    stored: Message,
    risk: RiskAssessment,
    resumed: bool,
) -> list[BotReply]:
    """Rasa's replies; a 503 if it cannot be reached or resumed (the message is kept, marked)."""
    try:
        if not resumed:
            raise rasa_client.AssistantUnavailable("the paused conversation could not be resumed")
        return rasa_client.send(
            settings.rasa_url, client_id, stored.text, to_metadata(risk), settings.rasa_timeout_s
        )
    except rasa_client.AssistantUnavailable as error:
        stored.status = "undelivered"
        session.commit()
        raise ApiError(
            503,
            "assistant_unavailable",
            "The assistant is not reachable right now. Your message is saved; please try again.",
        ) from error


def _within(text: str, limit: int) -> str:
    """The text cut to at most `limit` UTF-8 bytes, for the assistant: a crisis in a longer
    message is stored whole, and Rasa, which reads the risk from the metadata, gets its start."""
    return text.encode("utf-8", "surrogatepass")[:limit].decode("utf-8", "ignore")


def crisis_replies(
    session: Session,
    settings: Settings,
    client_id: str,
    stored: Message,
    risk: RiskAssessment,
    forward: bool,
    asks: bool,
    kinds: frozenset[LineKind],
) -> list[BotReply]:
    """The entry point's own crisis answer, so it never depends on Rasa being up.

    With `forward` (a new crisis) Rasa still gets the message, briefly, so any exercise ends and
    what was written is kept; its replies are not used. Otherwise Rasa is not asked at all.
    """
    if forward:
        try:
            rasa_client.send(
                settings.rasa_url,
                client_id,
                _within(stored.text, settings.max_message_bytes),
                to_metadata(risk),
                settings.crisis_rasa_timeout_s,
            )
        except rasa_client.AssistantUnavailable:
            stored.status = "undelivered"
    text = crisis_reply(session, settings, client_id, alerted=True, asks=asks, kinds=kinds)
    if risk.language != "en":
        text = f"{english_only(risk.language)}\n\n{text}"
    return [BotReply(text)]
