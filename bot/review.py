"""What a therapist may read of a client, as plain data for the web app and its exports.

A therapist reads their own clients only (`own_client` raises NotYours otherwise, which the web
app answers with 404, so another therapist's client ids are not even confirmed to exist). The
client's consent text (bot/web/templates/invite.html) says what they see: shared entries, the
transcripts, and every message that led to an escalation. Inside a transcript, what the client
wrote in an entry they keep private, and the assistant's words that read it back, show as
"private entry" with no text, unless the message itself opened an escalation. (The on-call
clinician's crisis window, bot/storage/crisis_window.py, is theirs, not the therapist's.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.storage.conversations import as_utc
from bot.storage.models import (
    BlockedReply,
    Client,
    Conversation,
    EntryItem,
    Escalation,
    JournalEntry,
    Message,
    MessageNote,
    TrackerEvent,
)

PRIVATE_ENTRY = "private entry"
# A client message holding a private answer (or paragraph) this long, in characters, is hidden.
PART_AT_LEAST = 12
# Private answers this long or longer are looked for in other conversations and in the
# assistant's words; shorter ones ("3", "no") only as a client's whole message where written.
QUOTED_AT_LEAST = 3


class NotYours(LookupError):
    """The record does not exist, or is not the asking therapist's to read."""


@dataclass(frozen=True)
class Reading:
    """How Rasa read one client message, from its published events (`reflect events`): the
    intent and its confidence (0-1), then the actions it ran and the slots it filled (names
    only) before the client's next message."""

    intent: str | None
    confidence: float | None
    actions: list[str] = field(default_factory=list)
    slots: list[str] = field(default_factory=list)


# Rasa's "wait for the client" action ends every turn: it says nothing about the reading.
_LISTEN = "action_listen"


def readings(session: Session, sender_id: str, message_ids: list[int]) -> dict[int, Reading]:
    """The reading of each of these messages that Rasa published, by message id; empty when
    no event broker runs."""
    first = session.scalar(
        select(func.min(TrackerEvent.at)).where(
            TrackerEvent.sender_id == sender_id,
            TrackerEvent.kind == "user",
            TrackerEvent.message_id.in_(message_ids),
        )
    )
    if first is None:
        return {}
    found: dict[int, Reading] = {}
    current: Reading | None = None
    for event in session.scalars(
        select(TrackerEvent)
        .where(TrackerEvent.sender_id == sender_id, TrackerEvent.at >= first)
        .order_by(TrackerEvent.at, TrackerEvent.id)
    ):
        if event.kind == "user":
            current = None
            if event.message_id in message_ids:
                current = found[event.message_id] = Reading(event.intent, event.confidence)
        elif current is not None and event.kind == "action" and event.action != _LISTEN:
            current.actions.append(event.action)
        elif current is not None and event.kind == "slot":
            current.slots.append(event.slot)
    return found


@dataclass(frozen=True)
class TranscriptLine:
    """One message as the therapist sees it: `text` is PRIVATE_ENTRY when `hidden`."""

    message: Message
    hidden: bool
    blocked: BlockedReply | None
    notes: list[MessageNote]
    escalations: list[Escalation] = field(default_factory=list)
    reading: Reading | None = None

    @property
    def text(self) -> str:
        return PRIVATE_ENTRY if self.hidden else self.message.text

    @property
    def risk_sources(self) -> list[str]:
        """Which detector set the message's level and on what: the rules with their signals,
        the learned model with its category and crisis score (guardrails RiskAssessment)."""
        detail = self.message.risk_detail or {}
        found = []
        if "rules" in detail.get("sources", []):
            signals = ", ".join(self.message.risk_signals or []) or "no named signal"
            found.append(f"rules ({detail.get('rules_level')}): {signals}")
        model = detail.get("model") or {}
        if "model" in detail.get("sources", []) and model:
            found.append(
                f"model ({detail.get('model_level')}): {model.get('category') or 'no category'}, "
                f"crisis score {model.get('crisis_score', 0):.2f}"
            )
        return found


def clients_of(session: Session, therapist_id: int) -> list[Client]:
    return list(
        session.scalars(
            select(Client).where(Client.therapist_id == therapist_id).order_by(Client.display_name)
        )
    )


def own_client(session: Session, therapist_id: int, client_id: str) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.therapist_id != therapist_id:
        raise NotYours(client_id)
    return client


def own_conversation(session: Session, client: Client, conversation_id: int) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.client_id != client.id:
        raise NotYours(conversation_id)
    return conversation


def conversations_of(session: Session, client_id: str) -> list[Conversation]:
    return list(
        session.scalars(
            select(Conversation)
            .where(Conversation.client_id == client_id)
            .order_by(Conversation.started_at.desc())
        )
    )


def escalations_of(session: Session, client_id: str) -> list[Escalation]:
    return list(
        session.scalars(
            select(Escalation).where(Escalation.client_id == client_id).order_by(Escalation.id)
        )
    )


@dataclass(frozen=True)
class _Private:
    """What the client wrote in their private entries, in lower case: each answer with its
    paragraphs (free writing is saved as one answer, a paragraph per message), and which of
    them were written in the conversation being read."""

    here: frozenset[str]
    anywhere: frozenset[str]


def _private_writing(session: Session, client: Client, conversation: Conversation) -> _Private:
    rows = session.execute(
        select(JournalEntry.conversation_id, EntryItem.answer)
        .join(EntryItem, EntryItem.entry_id == JournalEntry.id)
        .where(
            JournalEntry.client_id == client.id,
            JournalEntry.shared_with_therapist.is_(False),
        )
    )
    here: set[str] = set()
    anywhere: set[str] = set()
    for conversation_id, answer in rows:
        pieces = {p.strip() for p in (answer, *answer.split("\n\n")) if p.strip()}
        anywhere |= {p.lower() for p in pieces}
        if conversation_id == conversation.id:
            here |= {p.lower() for p in pieces}
    return _Private(frozenset(here), frozenset(anywhere))


def _quotes(text: str, piece: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text) is not None


def _is_private(sender: str, text: str, private: _Private) -> bool:
    """Whether a message shows private writing.

    A client message is hidden when it is a private answer or paragraph (one written in this
    conversation whatever its length; from another conversation, of QUOTED_AT_LEAST characters
    or more, so a "yes" is not hidden for a "yes" of weeks ago), or holds one of PART_AT_LEAST
    characters or more. An assistant message (or a blocked one) is hidden when it quotes a
    private answer of QUOTED_AT_LEAST characters or more as whole words: read-backs and
    summaries, in any later conversation too; a scale answer ("3") is not looked for.
    """
    text = text.strip().lower()
    if sender != "client":
        return any(len(p) >= QUOTED_AT_LEAST and _quotes(text, p) for p in private.anywhere)
    if text in private.here or (len(text) >= QUOTED_AT_LEAST and text in private.anywhere):
        return True
    return any(len(p) >= PART_AT_LEAST and p in text for p in private.anywhere)


def transcript(
    session: Session, client: Client, conversation: Conversation
) -> list[TranscriptLine]:
    """The conversation's messages, oldest first, with their safety annotations and notes."""
    escalations = escalations_of(session, client.id)
    opened_by: dict[int, list[Escalation]] = {}
    for escalation in escalations:
        opened_by.setdefault(escalation.message_id, []).append(escalation)
    private = _private_writing(session, client, conversation)
    messages = list(
        session.scalars(
            select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
        )
    )
    ids = [m.id for m in messages]
    blocked = {
        b.message_id: b
        for b in session.scalars(select(BlockedReply).where(BlockedReply.message_id.in_(ids)))
    }
    notes: dict[int, list[MessageNote]] = {}
    for note in session.scalars(
        select(MessageNote).where(MessageNote.message_id.in_(ids)).order_by(MessageNote.id)
    ):
        notes.setdefault(note.message_id, []).append(note)
    read = readings(session, client.id, ids)
    lines = []
    for m in messages:
        held = blocked.get(m.id)
        hidden = m.id not in opened_by and (
            _is_private(m.sender, m.text, private)
            or (held is not None and _is_private(m.sender, held.original_text, private))
        )
        lines.append(
            TranscriptLine(
                message=m,
                hidden=hidden,
                blocked=None if hidden else held,
                notes=notes.get(m.id, []),
                escalations=opened_by.get(m.id, []),
                reading=None if hidden else read.get(m.id),
            )
        )
    return lines


def add_note(
    session: Session, client: Client, message_id: int, author: str, text: str
) -> MessageNote:
    """A note on one of the client's messages; raises NotYours for a message of someone else."""
    message = session.get(Message, message_id)
    if message is None or message.conversation.client_id != client.id:
        raise NotYours(message_id)
    note = MessageNote(message_id=message_id, author=author, text=text.strip())
    session.add(note)
    session.flush()
    return note


@dataclass(frozen=True)
class SearchHit:
    client: Client
    entry: JournalEntry
    item: EntryItem


def search_shared(session: Session, therapist_id: int, query: str) -> list[SearchHit]:
    """Answers in the therapist's clients' shared entries that contain `query` (any case)."""
    words = query.strip()
    if not words:
        return []
    rows = session.execute(
        select(Client, JournalEntry, EntryItem)
        .join(JournalEntry, JournalEntry.client_id == Client.id)
        .join(EntryItem, EntryItem.entry_id == JournalEntry.id)
        .where(
            Client.therapist_id == therapist_id,
            JournalEntry.shared_with_therapist.is_(True),
            or_(EntryItem.answer.ilike(f"%{words}%"), EntryItem.prompt.ilike(f"%{words}%")),
        )
        .order_by(JournalEntry.saved_at.desc())
        .limit(100)
    )
    return [SearchHit(client, entry, item) for client, entry, item in rows]


def when(moment: datetime | None) -> str:
    """A stored time as the pages and exports show it: UTC, to the minute."""
    return "" if moment is None else f"{as_utc(moment):%Y-%m-%d %H:%M} UTC"
