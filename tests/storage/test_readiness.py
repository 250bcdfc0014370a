"""Readiness history, snapshots, the therapist's setting and the reflection check-in on SQLite."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.orm import Session

from bot.readiness import SKIPPED, Readiness
from bot.storage.conversations import current_conversation, record
from bot.storage.db import session_scope
from bot.storage.journal import Answer, UnknownClient, last_answer, save_entry, take_unfinished
from bot.storage.models import Client, Conversation, PtgCheckin
from bot.storage.ptg import last_ptg_contact, offer_ptg_if_due, ptg_trend, save_ptg
from bot.storage.readiness import (
    gather_signals,
    growth_setting,
    record_mood,
    save_snapshot,
    set_growth_setting,
    snapshots_for,
)
from guardrails import RiskAssessment

NOW = datetime(2026, 11, 26, 12, tzinfo=timezone.utc)


def test_a_rating_given_again_in_a_conversation_replaces_the_earlier_one(
    session: Session, enrolled_client: Client
) -> None:
    current_conversation(session, "sam", idle_minutes=60)
    record_mood(session, "sam", 3.0, "flat")
    record_mood(session, "sam", 6.0, "better")  # after "start over"
    signals = gather_signals(session, "sam", risk_level="none", mood_now=6.0)
    assert signals.recent_moods == (6.0,)


def test_signals_are_read_from_the_stored_history(
    session: Session, enrolled_client: Client
) -> None:
    for score in (4.0, 5.0, 6.0):
        session.add(Conversation(client_id="sam"))
        session.flush()
        record_mood(session, "sam", score, "ok")
    save_entry(
        session,
        "sam",
        "gratitude",
        [
            Answer("q", "I went for a walk after I said no to overtime"),
            Answer("q", SKIPPED),
            Answer("q", "I was kind to myself"),
        ],
        completed=True,
    )
    save_entry(session, "sam", "breathing", [Answer("q", "done")], completed=True)
    save_entry(session, "sam", "narrative", [Answer("q", "the hard year")], completed=False)

    signals = gather_signals(session, "sam", risk_level="none", mood_now=6.0)
    assert signals.recent_moods == (4.0, 5.0, 6.0)
    assert signals.mood_now == 6.0
    assert signals.risk_level == "none"
    assert signals.coping_mentions == 1
    assert signals.change_mentions == 2
    assert signals.grounding_done == 1
    assert (signals.prompts_answered, signals.prompts_skipped) == (4, 1)
    assert signals.sessions == 3
    assert signals.exercises_completed == 2


def test_a_crisis_in_the_last_week_and_distress_earlier_today_are_read(
    session: Session, enrolled_client: Client
) -> None:
    old = current_conversation(session, "sam", idle_minutes=60)
    crisis = record(session, old, "client", "(a crisis)", risk=RiskAssessment("crisis", ("plan",)))
    today = Conversation(client_id="sam")
    session.add(today)
    session.flush()
    record(session, today, "client", "i can't stop shaking", risk=RiskAssessment("concern", ()))
    record(session, today, "client", "a bit better now", risk=RiskAssessment("none", ()))

    signals = gather_signals(session, "sam", risk_level="none", mood_now=None)
    assert signals.last_crisis_at is not None
    assert signals.risk_earlier_in_conversation

    eight_days_on = crisis.created_at.replace(tzinfo=timezone.utc) + timedelta(days=8)
    later = gather_signals(session, "sam", risk_level="none", mood_now=None, now=eight_days_on)
    assert later.last_crisis_at is None


def test_old_history_is_left_out(session: Session, enrolled_client: Client) -> None:
    record_mood(session, "sam", 2.0, "low")
    later = datetime.now(timezone.utc) + timedelta(days=31)
    assert (
        gather_signals(session, "sam", risk_level=None, mood_now=None, now=later).recent_moods == ()
    )


def test_snapshots_keep_level_reasons_setting_and_conversation(
    db_url: str, enrolled_client: Client
) -> None:
    with session_scope(db_url) as session:
        conversation = current_conversation(session, "sam", idle_minutes=60)
        save_snapshot(
            session, "sam", Readiness("stabilize", ("today's mood rating is low",)), "auto"
        )
    with session_scope(db_url) as session:
        ((snapshot, reasons),) = snapshots_for(session, "sam")
        assert snapshot.level == "stabilize"
        assert snapshot.growth_prompts == "auto"
        assert snapshot.conversation_id == conversation.id
        assert reasons == ["today's mood rating is low"]


def test_growth_prompts_default_to_auto_and_take_only_off_auto_on(
    db_url: str, enrolled_client: Client
) -> None:
    with session_scope(db_url) as session:
        assert growth_setting(session, "sam") == "auto"
        set_growth_setting(session, "sam", "off")
    with session_scope(db_url) as session:
        assert growth_setting(session, "sam") == "off"
        with pytest.raises(ValueError, match="off, auto, on"):
            set_growth_setting(session, "sam", "always")
        with pytest.raises(UnknownClient):
            set_growth_setting(session, "nobody", "on")


def test_the_reflection_check_in_is_offered_at_most_once_every_two_weeks(
    session: Session, enrolled_client: Client
) -> None:
    assert offer_ptg_if_due(session, "sam", NOW)
    assert not offer_ptg_if_due(session, "sam", NOW + timedelta(days=13))
    assert last_ptg_contact(session, "sam") == NOW
    assert offer_ptg_if_due(session, "sam", NOW + timedelta(days=14))


def test_answers_fill_the_open_offer_and_a_client_initiated_one_counts_too(
    session: Session, enrolled_client: Client
) -> None:
    offer_ptg_if_due(session, "sam", NOW)
    scores = {"appreciation": 3, "relationships": 0, "strength": 4, "possibilities": 2}
    answered = save_ptg(session, "sam", {**scores, "spiritual": 5}, NOW + timedelta(hours=1))
    assert answered.offered_at is not None
    assert (answered.relationships, answered.spiritual) == (0, 5)
    own = save_ptg(session, "sam", scores, NOW + timedelta(days=20))
    assert own.offered_at is None and own.spiritual is None
    assert not offer_ptg_if_due(session, "sam", NOW + timedelta(days=21))
    trend = ptg_trend(session, "sam")
    assert [c.id for c in trend] == [answered.id, own.id]
    assert all(isinstance(c, PtgCheckin) and c.answered_at for c in trend)


def test_an_unfinished_entry_is_taken_once_for_resuming(
    db_url: str, enrolled_client: Client
) -> None:
    with session_scope(db_url) as session:
        save_entry(
            session,
            "sam",
            "narrative",
            [Answer("t", "winter", slot="chapter_title")],
            completed=False,
        )
        save_entry(
            session,
            "sam",
            "meaning",
            [Answer("m", "not sure", slot="meaning_life")],
            completed=False,
        )
    with session_scope(db_url) as session:
        entry = take_unfinished(session, "sam", ["narrative", "gratitude"])
        assert entry is not None and entry.exercise == "narrative"
        assert [(i.slot, i.answer) for i in entry.items] == [("chapter_title", "winter")]
    with session_scope(db_url) as session:
        assert take_unfinished(session, "sam", ["narrative"]) is None
        assert take_unfinished(session, "sam", ["meaning"]) is not None


def test_the_last_committed_action_is_read_from_the_latest_finished_values_entry(
    session: Session, enrolled_client: Client
) -> None:
    assert last_answer(session, "sam", "values", "value_action") is None
    save_entry(session, "sam", "values", [Answer("a", "walk", slot="value_action")], completed=True)
    save_entry(
        session, "sam", "values", [Answer("a", "call jo", slot="value_action")], completed=True
    )
    save_entry(
        session, "sam", "values", [Answer("a", "draft", slot="value_action")], completed=False
    )
    assert last_answer(session, "sam", "values", "value_action") == "call jo"
