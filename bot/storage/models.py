"""SQLAlchemy models: who the people are, what was said, and what was written."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Therapist(Base):
    """A clinician who reviews what their clients choose to share."""

    __tablename__ = "therapists"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    email = Column(String(320), nullable=False, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    clients = relationship("Client", back_populates="therapist")


class Client(Base):
    """A person in therapy who journals with the assistant; `id` is also Rasa's sender id."""

    __tablename__ = "clients"

    id = Column(String(64), primary_key=True)
    display_name = Column(String(200), nullable=False)
    therapist_id = Column(Integer, ForeignKey("therapists.id"), nullable=True)
    # Chosen at enrolment: whether new entries are shared with the therapist unless said otherwise.
    share_by_default = Column(Boolean, nullable=False, default=False)
    token_hash = Column(String(64), nullable=False)
    # Which crisis lines they are shown (config/crisis_resources.yml).
    locale = Column(String(8), nullable=False, default="US", server_default="US")
    # Set by the therapist: off | auto | on. `auto` leaves growth prompts to the readiness check.
    growth_prompts = Column(String(8), nullable=False, default="auto", server_default="auto")
    # Whether Rasa's tracker holds ConversationPaused for them: true while a clinician is joined.
    rasa_paused = Column(Boolean, nullable=False, default=False, server_default="0")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    therapist = relationship("Therapist", back_populates="clients")
    conversations = relationship("Conversation", back_populates="client")
    entries = relationship("JournalEntry", back_populates="client")


class Conversation(Base):
    """A run of messages; a new one starts after the client has been idle for a while."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ux_conversations_open_for", "open_for", unique=True),)

    id = Column(Integer, primary_key=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=False, index=True)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_activity_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # The client's id while this is their open conversation, else NULL. Unique, so the database
    # itself refuses a second open conversation when messages race to start one.
    open_for = Column(String(64), nullable=True)

    client = relationship("Client", back_populates="conversations")
    messages = relationship("Message", back_populates="conversation", order_by="Message.id")


class Message(Base):
    """One message of the transcript, from the client or the bot, stored before any answer."""

    __tablename__ = "messages"
    # A client's resend of the same message is found, never stored twice.
    __table_args__ = (
        Index("ux_messages_client_message_id", "conversation_id", "client_message_id", unique=True),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id"), nullable=False, index=True)
    sender = Column(String(16), nullable=False)  # client | bot | clinician
    text = Column(Text, nullable=False)
    # accepted | rate_limited | too_large | undelivered (the assistant could not be reached)
    status = Column(String(16), nullable=False, default="accepted")
    # The id the client's app gave a message (POST /v1/messages `client_message_id`), if any.
    client_message_id = Column(String(64), nullable=True)
    # A bot reply's client message: a resend gets these back instead of a new turn.
    reply_to_id = Column(Integer, ForeignKey("messages.id"), nullable=True, index=True)
    # The input rail's verdict on a client message: none | concern | crisis, and its signals.
    risk_level = Column(String(16), nullable=True)
    risk_signals = Column(JSON, nullable=True)
    # The taxonomy categories found (guardrails/rules/taxonomy.yaml), crisis ones first.
    risk_categories = Column(JSON, nullable=True)
    # How the rail decided: language, each detector's own level, the model's score and top
    # features, and the context it read (RiskAssessment.detail()).
    risk_detail = Column(JSON, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    conversation = relationship("Conversation", back_populates="messages")
    blocked_reply = relationship("BlockedReply", back_populates="message", uselist=False)


class BlockedReply(Base):
    """A bot reply the output rail held back, kept with its reasons for the therapist to see."""

    __tablename__ = "blocked_replies"

    id = Column(Integer, primary_key=True)
    # The message the client saw instead.
    message_id = Column(Integer, ForeignKey("messages.id"), nullable=False, unique=True)
    original_text = Column(Text, nullable=False)
    reasons = Column(JSON, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    message = relationship("Message", back_populates="blocked_reply")


class JournalEntry(Base):
    """What the client wrote in one exercise, prompt by prompt."""

    __tablename__ = "journal_entries"

    id = Column(Integer, primary_key=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=False, index=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id"), nullable=True)
    exercise = Column(String(64), nullable=False)
    shared_with_therapist = Column(Boolean, nullable=False)
    completed = Column(Boolean, nullable=False)
    started_at = Column(DateTime(timezone=True), nullable=True)
    saved_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # When an unfinished entry was picked up again; the resumed run is saved as a new entry.
    resumed_at = Column(DateTime(timezone=True), nullable=True)
    # Ended by an answer the input rail found at crisis level: kept for the clinician, never
    # resumed, summarised or read back as an ordinary entry.
    at_risk = Column(Boolean, nullable=False, default=False, server_default="0")

    client = relationship("Client", back_populates="entries")
    items = relationship(
        "EntryItem", back_populates="entry", order_by="EntryItem.position", cascade="all"
    )


class EntryItem(Base):
    """One prompt of an exercise and the client's answer to it."""

    __tablename__ = "entry_items"

    id = Column(Integer, primary_key=True)
    entry_id = Column(Integer, ForeignKey("journal_entries.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    # The form slot the answer filled, so an unfinished exercise can be resumed.
    slot = Column(String(64), nullable=True)
    prompt = Column(Text, nullable=False)
    answer = Column(Text, nullable=False)
    answered_at = Column(DateTime(timezone=True), nullable=True)

    entry = relationship("JournalEntry", back_populates="items")


class Escalation(Base):
    """A crisis handed to people: committed before the client sees any reply."""

    __tablename__ = "escalations"

    id = Column(Integer, primary_key=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=False, index=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id"), nullable=False)
    message_id = Column(Integer, ForeignKey("messages.id"), nullable=False)
    reason = Column(String(200), nullable=False)
    risk_level = Column(String(16), nullable=False)
    risk_signals = Column(JSON, nullable=False)
    # open -> acknowledged -> resolved. Open and acknowledged put the client in crisis mode,
    # except a request for a person (ASKED_REASON), which leaves the conversation going.
    state = Column(String(16), nullable=False, default="open", index=True)
    clinician = Column(String(200), nullable=True)
    # The clinician in the chat now; while set, the bot is quiet for this client.
    joined_by = Column(String(200), nullable=True)
    notes = Column(Text, nullable=True)
    # False once the client said a request for a person can wait; a crisis sets it back.
    urgent = Column(Boolean, nullable=False, default=True, server_default="1")
    # Index into the on-call list of the contact told most recently, and when.
    contact_index = Column(Integer, nullable=False, default=0)
    notified_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # When the on-call file's fallback contact was queued, because no contact could be reached.
    fallback_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    acknowledged_at = Column(DateTime(timezone=True), nullable=True)
    resolved_at = Column(DateTime(timezone=True), nullable=True)

    message = relationship("Message", lazy="joined")


class OutboxDelivery(Base):
    """One notification to send; kept until delivered, so a receiver that is down loses nothing."""

    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True)
    escalation_id = Column(Integer, ForeignKey("escalations.id"), nullable=False, index=True)
    # on_call | fallback | therapist (bot/storage/deliveries.py, Audience)
    audience = Column(String(16), nullable=False, default="on_call", server_default="on_call")
    channel = Column(String(16), nullable=False)  # webhook | email
    recipient = Column(String(500), nullable=False)
    payload = Column(JSON, nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    delivered_at = Column(DateTime(timezone=True), nullable=True)
    # The first failed attempt, kept until it is delivered: "failing since".
    failing_since = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(Text, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class SafetyPlan(Base):
    """The client's safety plan in their own words; one current plan per client."""

    __tablename__ = "safety_plans"

    client_id = Column(String(64), ForeignKey("clients.id"), primary_key=True)
    warning_signs = Column(Text, nullable=True)
    coping = Column(Text, nullable=True)
    distractions = Column(Text, nullable=True)
    people_to_ask = Column(Text, nullable=True)
    professionals = Column(Text, nullable=True)
    safer_surroundings = Column(Text, nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class MoodRating(Base):
    """A check-in: the 0-10 rating and the client's word for it, the base of the mood trend."""

    __tablename__ = "mood_ratings"

    id = Column(Integer, primary_key=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=False, index=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id"), nullable=True)
    score = Column(Float, nullable=False)
    word = Column(Text, nullable=True)
    rated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class ReadinessSnapshot(Base):
    """One readiness check: the level, and the reasons the therapist can read."""

    __tablename__ = "readiness_snapshots"

    id = Column(Integer, primary_key=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=False, index=True)
    conversation_id = Column(Integer, ForeignKey("conversations.id"), nullable=True, index=True)
    level = Column(String(16), nullable=False)  # stabilize | explore | grow
    growth_prompts = Column(String(8), nullable=False)  # the therapist's setting at the time
    reasons = Column(Text, nullable=False)  # a JSON list of plain-language reasons
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class PtgCheckin(Base):
    """The two-weekly reflection check-in, not a validated measure: offered, maybe answered."""

    __tablename__ = "ptg_checkins"

    id = Column(Integer, primary_key=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=False, index=True)
    offered_at = Column(DateTime(timezone=True), nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True)
    # Each 0-5, one per domain, in the project's own words (see actions/exercises.py).
    appreciation = Column(Integer, nullable=True)
    relationships = Column(Integer, nullable=True)
    strength = Column(Integer, nullable=True)
    possibilities = Column(Integer, nullable=True)
    spiritual = Column(Integer, nullable=True)


class User(Base):
    """A person who signs in to the web app, with one role (bot/web/roles.py).

    A `client` user is linked to their Client, a `therapist` user to their Therapist; clinicians
    and admins stand alone. `password_hash` is argon2 (bot/web/passwords.py), empty until an
    invite is accepted.
    """

    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(320), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    role = Column(String(16), nullable=False)  # client | therapist | clinician | admin
    password_hash = Column(String(200), nullable=True)
    client_id = Column(String(64), ForeignKey("clients.id"), nullable=True, unique=True)
    therapist_id = Column(Integer, ForeignKey("therapists.id"), nullable=True, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "web_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False)


class Invite(Base):
    """An invitation to make an account with a role; the link holds a token, this its hash."""

    __tablename__ = "invites"

    token_hash = Column(String(64), primary_key=True)
    email = Column(String(320), nullable=False)
    name = Column(String(200), nullable=False)
    role = Column(String(16), nullable=False)
    # For a client: their therapist, and whether new entries are shared unless said otherwise.
    therapist_id = Column(Integer, ForeignKey("therapists.id"), nullable=True)
    share_by_default = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    used_at = Column(DateTime(timezone=True), nullable=True)


class MessageNote(Base):
    """A therapist's or clinician's note on one message of a transcript."""

    __tablename__ = "message_notes"

    id = Column(Integer, primary_key=True)
    message_id = Column(Integer, ForeignKey("messages.id"), nullable=False, index=True)
    author = Column(String(320), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class AuditEvent(Base):
    """Who did what to which record, and when. Append-only: the database refuses updates and
    deletes (triggers made by migration 0001). `actor` is an email, so it outlives a deleted
    account."""

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(320), nullable=False)
    role = Column(String(16), nullable=False)
    # e.g. transcript.view, export.pdf, note.add, escalation.join (bot/storage/audit.py Action)
    action = Column(String(40), nullable=False)
    # What it was done to: "client:sam", "escalation:3", "conversation:12".
    subject = Column(String(200), nullable=False)
    detail = Column(JSON, nullable=True)


class TrackerEvent(Base):
    """One event of a Rasa tracker, as Rasa's event broker published it (`reflect events`):
    how the assistant read each turn, for the therapist's review. No text is kept here: a
    message's words are in `messages`, and slot values, which may be a client's private
    answers, are left out (only the slot's name)."""

    __tablename__ = "tracker_events"

    id = Column(Integer, primary_key=True)
    # SHA-256 of the published body: an event delivered twice is stored once.
    key = Column(String(64), nullable=False, unique=True)
    sender_id = Column(String(64), nullable=False, index=True)
    # The client message it answers (for a user event: the message itself), when known. No
    # foreign key: events arrive later, and the message may have been deleted by then.
    message_id = Column(Integer, nullable=True, index=True)
    kind = Column(String(32), nullable=False)  # Rasa's event name: user, action, bot, slot ...
    at = Column(Float, nullable=False)  # Rasa's timestamp (seconds since the epoch)
    intent = Column(String(100), nullable=True)
    confidence = Column(Float, nullable=True)
    action = Column(String(100), nullable=True)  # an action's name, or the policy's choice
    slot = Column(String(100), nullable=True)
