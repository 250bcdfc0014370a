"""One client turn, whichever way the message came in (POST /v1/messages; the web chat).

The order is the safety order: the risk check reads every message, whatever its size or rate;
the client's words are committed before any configuration or other service is touched; a crisis
is escalated and committed before anything is answered, and answered here without Rasa; only
then does Rasa get the turn, and every reply passes the output rail before it is stored and sent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from bot import rasa_client
from bot.escalation.concern import (
    ANSWERED_NO,
    SUICIDE_QUESTION,
    is_clear_no,
    needs_the_question,
    was_asked,
)
from bot.escalation.config import LineKind, on_call
from bot.escalation.escalate import (
    CRISIS_REASON,
    SAFEGUARDING_REASON,
    SAID_YES_REASON,
    escalate,
)
from bot.escalation.handoff import sync_rasa_pause
from bot.escalation.reply import (
    crisis_reply,
    english_only,
    joined_crisis_reply,
    other_language_reply,
    unsaved_crisis_reply,
)
from bot.interjections import answering_metadata
from bot.rasa_client import BotReply
from bot.ratelimit import RateLimiter
from bot.risk_context import risk_context
from bot.risk_metadata import to_metadata
from bot.settings import Settings
from bot.storage.conversations import (
    assessed,
    current_conversation,
    record,
    record_reply,
    replies_to,
    sent_before,
)
from bot.storage.escalations import active_escalation, alert_joined_clinician, is_crisis_mode
from bot.storage.models import Client, Escalation, Message
from guardrails import ReplyVerdict, RiskAssessment, assess_risk, check_reply, replacement_for

LISTENING = (
    "I'm here and listening. You can tell me how things are, ask for an exercise, or say stop at "
    "any time."
)
# A message that was kept but never answered may be sent again with the same client_message_id.
UNANSWERED = ("rate_limited", "too_large", "undelivered")

Refusal = Literal["message_too_large", "rate_limited", "assistant_unavailable"]


class TurnRefused(Exception):
    """The message is kept in the transcript (marked with its status) but not answered.

    `code` says why; `detail` is the sentence for the client; `retry_after_s` is set for
    `rate_limited` (whole seconds).
    """

    def __init__(self, code: Refusal, detail: str, retry_after_s: int | None = None) -> None:
        super().__init__(detail)
        self.code: Refusal = code
        self.detail = detail
        self.retry_after_s = retry_after_s


def too_large_detail(limit: int, kept: bool) -> str:
    saved = " It is kept in your conversation;" if kept else ""
    return f"Messages are limited to {limit} bytes.{saved} please send it in parts."


@dataclass(frozen=True)
class TurnResult:
    """What the client is sent back. `resent` marks the stored answer to an earlier send of
    the same `client_message_id` (texts only: buttons are not stored)."""

    conversation_id: int
    replies: list[BotReply] = field(default_factory=list)
    resent: bool = False


def take_turn(
    session: Session,
    settings: Settings,
    limiter: RateLimiter,
    client: Client,
    text: str,
    client_message_id: str | None = None,
) -> TurnResult:
    """Reads, stores and answers one client message; raises TurnRefused for one kept unanswered.

    A resend (the same `client_message_id` and the same text) already answered returns the
    stored answer and stores nothing; one kept unanswered (rate limited, too large, Rasa down)
    is taken again in place. Other text under a used id is a new message.
    Raises sqlalchemy's IntegrityError only if two sends of one id race each other.
    """
    earlier = sent_before(session, client.id, client_message_id) if client_message_id else None
    if earlier is not None and earlier.text != text:
        # The id was used before for other words (an app that reuses ids): this is a new
        # message, read and answered as one, never dropped as a resend.
        earlier, client_message_id = None, None
    if earlier is not None:
        answer = replies_to(session, earlier)
        if answer or earlier.status not in UNANSWERED:
            return TurnResult(
                conversation_id=earlier.conversation_id,
                replies=[BotReply(reply.text) for reply in answer],
                resent=True,
            )
    # After the resend check: a resend answered before opens no conversation.
    conversation = current_conversation(session, client.id, settings.conversation_idle_minutes)
    context = risk_context(session, conversation.id)
    risk = assess_risk(text, context)
    active = active_escalation(session, client.id)
    answered = was_asked(session, conversation.id)
    said_yes = answered and not is_clear_no(text)
    reading = _Reading(risk, active, is_crisis_mode(active), answered, said_yes, context.slot)
    urgent = reading.urgent

    def keep(status: str) -> Message:
        if earlier is not None:
            assessed(earlier, status, risk)
            return earlier
        return record(
            session,
            conversation,
            "client",
            text,
            status=status,
            risk=risk,
            client_message_id=client_message_id,
        )

    # Over the size the assistant reads: a crisis in it is answered like any other; the rest
    # is kept in the transcript and refused, never dropped unread.
    if not urgent and len(text.encode("utf-8", "surrogatepass")) > settings.max_message_bytes:
        keep("too_large")
        session.commit()
        raise TurnRefused("message_too_large", too_large_detail(settings.max_message_bytes, True))
    wait_s = 0.0 if urgent else limiter.try_acquire(client.id)
    if wait_s:
        keep("rate_limited")
        session.commit()
        seconds = math.ceil(wait_s)
        raise TurnRefused(
            "rate_limited",
            f"That was a lot of messages at once. Please wait {seconds} s and send it again.",
            retry_after_s=seconds,
        )
    stored = keep("accepted")
    # The client's words are durable before any configuration or other service is touched.
    session.commit()
    replies, level = _answer(session, settings, client, stored, reading)
    # In crisis mode the output rail treats every turn as a crisis: no growth prompt gets out.
    checked = [_guard(reply, "crisis" if urgent else level) for reply in replies]
    for reply, original, verdict in checked:
        record_reply(session, conversation, reply.text, verdict, original, reply_to=stored)
    session.commit()
    return TurnResult(conversation_id=conversation.id, replies=[r for r, _, _ in checked])


@dataclass(frozen=True)
class _Reading:
    """What is known of a client's message before it is answered."""

    risk: RiskAssessment
    active: Escalation | None  # the client's active escalation
    in_crisis_mode: bool
    answered: bool  # it answers the suicide question
    said_yes: bool  # ... with anything but a clear no, which is treated as a crisis
    question: str | None  # the slot of the exercise or check-in question it answers, if any

    @property
    def urgent(self) -> bool:
        """A crisis, anything said in crisis mode, or not a clear no: never held back by size
        or rate, and answered as a crisis."""
        return self.risk.level == "crisis" or self.in_crisis_mode or self.said_yes


def _answer(
    session: Session, settings: Settings, client: Client, stored: Message, reading: _Reading
) -> tuple[list[BotReply], str]:
    """The replies to a stored message, and the risk level the output rail checks them at."""
    risk, active, in_crisis_mode = reading.risk, reading.active, reading.in_crisis_mode
    joined = active is not None and active.joined_by is not None
    # Rasa's tracker is paused exactly while a clinician is joined (retried here if the CLI
    # could not reach Rasa); a failed resume is caught below, as Rasa being unreachable.
    in_line = sync_rasa_pause(settings, client, joined)
    session.commit()
    if active is not None and joined:
        # A clinician is in the chat: they answer. A new crisis is flagged to them at once, and
        # the client gets the lines, briefly, without the bot taking over.
        # Judged on the message alone: after a crisis, the rail's context would raise every
        # message of the hand-over, and the clinician reads those anyway.
        if risk.level != "crisis" or assess_risk(stored.text).level != "crisis":
            return [], risk.level
        # A request for a person becomes a crisis escalation; then the clinician is told.
        escalate(session, settings, stored, client.id, _crisis_reason(risk))
        contacts = on_call(settings.config_path(settings.on_call_file)).contacts
        alert_joined_clinician(session, active, stored, contacts)
        session.commit()
        text = joined_crisis_reply(session, settings, client.id, active, _reply_kinds(risk, active))
        return [BotReply(text)], "crisis"
    if risk.level == "crisis" and not in_crisis_mode:
        escalate(session, settings, stored, client.id, _crisis_reason(risk))
    elif reading.said_yes and not in_crisis_mode:
        escalate(session, settings, stored, client.id, SAID_YES_REASON)
    # The message, and any escalation, are durable before anything is answered.
    session.commit()
    if reading.urgent:
        asks = risk.level == "crisis" or reading.said_yes
        # Only a new crisis goes to Rasa, to end any exercise; a "yes" would start one instead.
        forward = risk.level == "crisis" and not in_crisis_mode
        kinds = _reply_kinds(risk, active)
        return _crisis_replies(session, settings, client.id, stored, risk, forward, asks, kinds), (
            "crisis"
        )
    if reading.answered:
        # A clear no: thanked, and not passed on, so Rasa never reads it as a no to its offer.
        return [BotReply(ANSWERED_NO)], risk.level
    if risk.language != "en":
        # The assistant works in English: said honestly, with the client's lines, not guessed at.
        return [BotReply(other_language_reply(session, settings, client.id, risk.language))], (
            risk.level
        )
    # Rasa says nothing to some messages (a "yes" to nothing); the client never gets silence.
    metadata = {
        **to_metadata(risk),
        **answering_metadata(reading.question),
        rasa_client.MESSAGE_ID_KEY: stored.id,
    }
    replies = _assistant_replies(session, settings, client.id, stored, metadata, in_line) or [
        BotReply(LISTENING)
    ]
    if needs_the_question(risk):
        replies.append(BotReply(SUICIDE_QUESTION))
    return replies, risk.level


def _crisis_reason(risk: RiskAssessment) -> str:
    """Safeguarding when abuse or violence is all the message holds, else a crisis."""
    return SAFEGUARDING_REASON if risk.replies() == {"safeguarding"} else CRISIS_REASON


def _guard(reply: BotReply, user_level: str) -> tuple[BotReply, str, ReplyVerdict | None]:
    """The reply to send, its original text, and the output rail's verdict if it was blocked."""
    verdict = check_reply(reply.text, user_level)
    if verdict.verdict == "allow":
        return reply, reply.text, None
    return BotReply(replacement_for(verdict)), reply.text, verdict


def storage_down_reply(settings: Settings, text: str) -> str | None:
    """What a message gets while the database cannot be reached: a crisis or a disclosure of
    abuse, read without its context, gets the crisis lines and the plain fact that nothing was
    saved and nobody told; anything else gets None (the caller answers 503, try again)."""
    risk = assess_risk(text)
    if risk.level != "crisis":
        return None
    return unsaved_crisis_reply(settings, _reply_kinds(risk, None))


def _reply_kinds(risk: RiskAssessment, active: Escalation | None) -> frozenset[LineKind]:
    """The lines a crisis turn shows: what this message calls for, else what the open
    escalation was for (a safeguarding escalation keeps its safeguarding lines)."""
    kinds = risk.replies()
    if kinds:
        return kinds  # type: ignore[return-value]
    if active is not None and active.reason == SAFEGUARDING_REASON:
        return frozenset({"safeguarding"})
    return frozenset({"crisis"})


def _assistant_replies(
    session: Session,
    settings: Settings,
    client_id: str,
    stored: Message,
    metadata: dict[str, Any],
    resumed: bool,
) -> list[BotReply]:
    """Rasa's replies to the message sent with `metadata` (the risk, the open question);
    TurnRefused if it cannot be reached or resumed (the message is kept, marked undelivered)."""
    try:
        if not resumed:
            raise rasa_client.AssistantUnavailable("the paused conversation could not be resumed")
        text = stored.text
        # No pooled connection is held while Rasa thinks (seconds, under load).
        session.commit()
        return rasa_client.send(settings, client_id, text, metadata, settings.rasa_timeout_s)
    except rasa_client.AssistantUnavailable as error:
        stored.status = "undelivered"
        session.commit()
        raise TurnRefused(
            "assistant_unavailable",
            "The assistant is not reachable right now. Your message is saved; please try again.",
        ) from error


def _within(text: str, limit: int) -> str:
    """The text cut to at most `limit` UTF-8 bytes, for the assistant: a crisis in a longer
    message is stored whole, and Rasa, which reads the risk from the metadata, gets its start."""
    return text.encode("utf-8", "surrogatepass")[:limit].decode("utf-8", "ignore")


def _crisis_replies(
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
        text, metadata = stored.text, {**to_metadata(risk), rasa_client.MESSAGE_ID_KEY: stored.id}
        session.commit()  # no pooled connection is held while Rasa is waited for
        try:
            rasa_client.send(
                settings,
                client_id,
                _within(text, settings.max_message_bytes),
                metadata,
                settings.crisis_rasa_timeout_s,
            )
        except rasa_client.AssistantUnavailable:
            stored.status = "undelivered"
    text = crisis_reply(session, settings, client_id, alerted=True, asks=asks, kinds=kinds)
    if risk.language != "en":
        text = f"{english_only(risk.language)}\n\n{text}"
    return [BotReply(text)]
