"""A client's own data in the web app: their entries and sharing, the export, deleting the
account, and the safety plan form."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import create_engine, select, text

from bot.events import store
from bot.storage.client_data import delete_account
from bot.storage.db import session_scope
from bot.storage.journal import Answer, save_entry
from bot.storage.models import (
    Client,
    Conversation,
    Escalation,
    JournalEntry,
    Message,
    MoodRating,
    SafetyPlan,
    TrackerEvent,
    User,
    utcnow,
)
from bot.web.auth import COOKIE
from tests.web.conftest import Account, Browser, History, seed_history, sign_in

PLAN = {
    "warning_signs": "I stop answering messages",
    "coping": "a long walk by the river",
    "distractions": "the library",
    "people_to_ask": "my sister Ana",
    "professionals": "Dr. Rivera, and 988",
    "safer_surroundings": "the pills stay at my sister's",
}


def _shared(db_url: str, entry_id: int) -> bool:
    with session_scope(db_url) as session:
        return session.get(JournalEntry, entry_id).shared_with_therapist


def _client(
    browser: Callable[[], Browser], account: Callable[..., Account]
) -> tuple[Account, Browser]:
    client = account("client@clinic.example", "client")
    return client, sign_in(browser(), client)


def test_entries_page_lists_the_clients_entries(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    seed_history(db_url, client.client_id, private_answer="the blue mug")
    page = visitor.get("/app/entries")
    assert page.status_code == 200
    assert "Five senses" in page.text  # the title the chat offers it by
    assert "the blue mug" in page.text
    assert "Private" in page.text


def test_toggling_sharing_flips_it_in_the_database(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    history = seed_history(db_url, client.client_id)
    assert not _shared(db_url, history.entry_id)
    url = f"/app/entries/{history.entry_id}/sharing"
    assert visitor.post(url, {"shared": "yes"}).status_code == 303
    assert _shared(db_url, history.entry_id)
    assert visitor.post(url, {"shared": "no"}).status_code == 303
    assert not _shared(db_url, history.entry_id)


def test_a_client_cannot_toggle_another_clients_entry(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    _client_account, visitor = _client(browser, account)
    other = account("other@clinic.example", "client")
    theirs = seed_history(db_url, other.client_id)
    response = visitor.post(f"/app/entries/{theirs.entry_id}/sharing", {"shared": "yes"})
    assert response.status_code == 404
    assert not _shared(db_url, theirs.entry_id)


def test_export_holds_messages_entries_with_answers_and_the_safety_plan(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    seed_history(db_url, client.client_id, private_answer="the blue mug")
    assert visitor.post("/app/safety-plan", PLAN).status_code == 303
    response = visitor.get("/app/export.json")
    assert response.status_code == 200
    data = json.loads(response.text)
    said = [m["text"] for c in data["conversations"] for m in c["messages"]]
    assert "the blue mug" in said
    assert "i don't want to be here anymore" in said
    (entry,) = data["entries"]
    assert entry["exercise"] == "grounding"
    assert entry["answers"] == [
        {"prompt": "What is one thing you can see?", "answer": "the blue mug"}
    ]
    assert data["safety_plan"] == PLAN


def _earlier_conversation(db_url: str, client_id: str) -> int:
    """A conversation before the escalation's, idle for hours, with an exchange and a mood
    rating."""
    long_ago = utcnow() - timedelta(hours=3)
    with session_scope(db_url) as session:
        conversation = Conversation(
            client_id=client_id, started_at=long_ago, last_activity_at=long_ago, open_for=None
        )
        session.add(conversation)
        session.flush()
        for sender, text in (("bot", "How was your week?"), ("client", "quiet, mostly")):
            session.add(Message(conversation_id=conversation.id, sender=sender, text=text))
        session.add(MoodRating(client_id=client_id, conversation_id=conversation.id, score=6))
        return conversation.id


def test_deleting_without_typing_delete_deletes_nothing(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    history = seed_history(db_url, client.client_id)
    response = visitor.post("/app/account/delete", {"confirm": "yes"})
    assert response.status_code == 422
    with session_scope(db_url) as session:
        assert session.scalars(select(User).where(User.email == client.email)).first()
        assert session.get(JournalEntry, history.entry_id) is not None
    assert visitor.get("/app/chat").status_code == 200


def _after_deletion(
    db_url: str, client_id: str, earlier: int, history: History
) -> dict[str, object]:
    with session_scope(db_url) as session:
        owned = select(Conversation.id).where(Conversation.client_id == client_id)
        return {
            "entries": session.scalars(
                select(JournalEntry).where(JournalEntry.client_id == client_id)
            ).all(),
            "moods": session.scalars(select(MoodRating)).all(),
            "earlier": session.scalars(
                select(Message).where(Message.conversation_id == earlier)
            ).all(),
            "kept": session.scalars(
                select(Message.text).where(Message.conversation_id.in_(owned)).order_by(Message.id)
            ).all(),
            "users": session.scalars(select(User).where(User.client_id == client_id)).all(),
            "escalation": session.get(Escalation, history.escalation_id),
            "name": session.get(Client, client_id).display_name,
        }


def test_deleting_the_account_keeps_only_the_escalation_record(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    earlier = _earlier_conversation(db_url, client.client_id)
    history = seed_history(db_url, client.client_id, private_answer="the blue mug")
    assert visitor.post("/app/safety-plan", PLAN).status_code == 303
    token = visitor.http.cookies[COOKIE]
    response = visitor.post("/app/account/delete", {"confirm": "delete"})
    assert response.status_code == 200
    left = _after_deletion(db_url, client.client_id, earlier, history)
    assert left["entries"] == [] and left["moods"] == [] and left["earlier"] == []
    assert left["users"] == []
    assert left["kept"] == [  # the escalation's crisis window: its whole conversation
        "What is one thing you can see?",
        "the blue mug",
        "You noticed: the blue mug.",
        "i don't want to be here anymore",
    ]
    assert left["escalation"] is not None
    assert left["name"] == "deleted account"
    with session_scope(db_url) as session:
        assert session.get(SafetyPlan, client.client_id) is None
    old = browser().http.get("/app/chat", headers={"cookie": f"{COOKIE}={token}"})
    assert old.status_code == 303
    assert old.headers["location"] == "/app/login"


def test_deleting_an_account_without_escalations_removes_the_client(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    _earlier_conversation(db_url, client.client_id)
    assert visitor.post("/app/account/delete", {"confirm": "Delete"}).status_code == 200
    with session_scope(db_url) as session:
        assert session.get(Client, client.client_id) is None
        assert session.scalars(select(Message)).all() == []
        assert session.scalars(select(Conversation)).all() == []


def test_safety_plan_form_saves_each_part(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    assert visitor.post("/app/safety-plan", PLAN).status_code == 303
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, client.client_id)
        assert {part: getattr(plan, part) for part in PLAN} == PLAN
    page = visitor.get("/app/safety-plan")
    assert all(answer.replace("'", "&#39;") in page.text for answer in PLAN.values())


def test_safety_plan_part_emptied_in_the_form_is_cleared(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    assert visitor.post("/app/safety-plan", PLAN).status_code == 303
    assert visitor.post("/app/safety-plan", {**PLAN, "coping": "  "}).status_code == 303
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, client.client_id)
        assert plan.coping is None
        assert plan.warning_signs == PLAN["warning_signs"]
        assert plan.safer_surroundings == PLAN["safer_surroundings"]


def test_saving_an_entry_for_the_client_shows_on_their_page_as_shared(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    with session_scope(db_url) as session:
        save_entry(
            session,
            client.client_id,
            "gratitude",
            [Answer("One thing you are grateful for?", "my sister's call")],
            completed=True,
            shared=True,
        )
    page = visitor.get("/app/entries")
    assert "Shared with your therapist" in page.text
    assert "my sister&#39;s call" in page.text


def test_the_trend_page_charts_the_check_ins_and_lists_their_numbers(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    from bot.storage.ptg import save_ptg

    client, visitor = _client(browser, account)
    assert "No check-ins yet." in visitor.get("/app/trend").text
    with session_scope(db_url) as session:
        save_ptg(session, client.client_id, {"appreciation": 2, "relationships": 3, "strength": 1})
    page = visitor.get("/app/trend")
    assert '<img src="/app/trend.svg"' in page.text
    assert "<td>3</td>" in page.text
    assert "<td>not answered</td>" in page.text  # spiritual was not answered
    chart = visitor.get("/app/trend.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in chart.text and "Relationships" in chart.text


def test_the_safety_plan_form_keeps_what_is_typed_even_a_chat_skip_word(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    client, visitor = _client(browser, account)
    visitor.get("/app/safety-plan")
    visitor.post("/app/safety-plan", {"warning_signs": "I stop eating", "coping": "a walk"})
    visitor.post("/app/safety-plan", {"warning_signs": "n/a", "coping": ""})
    with session_scope(db_url) as session:
        plan = session.get(SafetyPlan, client.client_id)
        assert (plan.warning_signs, plan.coping) == ("n/a", None)


def test_deletion_removes_the_invitation_and_the_trail_names_the_client_by_id(
    db_url: str, browser: Callable[[], Browser]
) -> None:
    from bot.storage.models import AuditEvent, Invite
    from bot.storage.users import create_invite

    with session_scope(db_url) as session:
        token = create_invite(session, "leaving@example.org", "Leaving", "client")
    visitor = browser()
    visitor.get(f"/app/invite/{token}")
    form = {"password": "a long enough password", "confirm": "a long enough password"}
    assert visitor.post(f"/app/invite/{token}", {**form, "consent": "yes"}).status_code == 303
    visitor.get("/app/export.json")
    visitor.get("/app/account/delete")
    assert visitor.post("/app/account/delete", {"confirm": "delete"}).status_code == 200
    with session_scope(db_url) as session:
        assert session.scalars(select(Invite)).all() == []
        actors = {e.actor for e in session.scalars(select(AuditEvent))}
    assert actors and all(a.startswith("client:") for a in actors)
    assert not any("leaving@example.org" in a for a in actors)


def test_deletion_forgets_the_clients_tracker_events_in_both_databases(
    db_url: str, postgres_url: str, account: Callable[..., Account]
) -> None:
    """Scaled, Rasa's tracker store is on PostgreSQL; its events and the assistant's readings
    kept by `reflect events` go with the account."""
    client = account("leaving@example.org", "client")
    tracker = create_engine(postgres_url, future=True)
    with tracker.begin() as connection:  # the part of Rasa's table that matters here
        connection.execute(text("CREATE TABLE events (id serial, sender_id text, type_name text)"))
        connection.execute(
            text(
                "INSERT INTO events (sender_id, type_name) VALUES (:a, 'user'), ('other', 'user')"
            ),
            {"a": client.client_id},
        )
    with session_scope(db_url) as session:
        for sender in (client.client_id, "other"):
            body = {"sender_id": sender, "event": "user", "timestamp": 1.0}
            store(session, json.dumps(body).encode())
    with session_scope(db_url) as session:
        user = session.scalars(select(User).where(User.email == client.email)).one()
        delete_account(session, user, postgres_url)
    with tracker.connect() as connection:
        left = connection.execute(text("SELECT sender_id FROM events")).scalars().all()
    tracker.dispose()
    assert left == ["other"]
    with session_scope(db_url) as session:
        assert session.scalars(select(TrackerEvent.sender_id)).all() == ["other"]
