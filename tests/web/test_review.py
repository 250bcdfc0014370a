"""What a therapist reads of their clients: transcripts with private entries held back, the
client page, search of shared entries, the CSV and PDF exports, and the growth setting."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.events import store
from bot.rasa_client import MESSAGE_ID_KEY
from bot.storage.conversations import current_conversation, record
from bot.storage.db import session_scope
from bot.storage.journal import Answer, save_entry
from bot.storage.models import BlockedReply, Client, Message
from bot.web.exports import COLUMNS
from tests.web.conftest import Account, Browser, History, seed_history, sign_in

SECRET = "the blue mug from grandma"
HELD_BACK = "Just cheer up, it is not that bad."


@pytest.fixture
def therapist(account: Callable[..., Account]) -> Account:
    return account("therapist@clinic.example", "therapist")


@pytest.fixture
def client(account: Callable[..., Account], therapist: Account) -> Account:
    return account("client@clinic.example", "client", therapist_id=therapist.therapist_id)


@pytest.fixture
def reader(browser: Callable[[], Browser], therapist: Account) -> Browser:
    return sign_in(browser(), therapist)


def _shared_entry(db_url: str, client_id: str, answer: str) -> None:
    with session_scope(db_url) as session:
        save_entry(
            session,
            client_id,
            "gratitude",
            [Answer("What went well today?", answer)],
            completed=True,
            shared=True,
        )


def _block_first_bot_message(db_url: str, history: History) -> None:
    with session_scope(db_url) as session:
        first_bot = session.scalars(
            select(Message)
            .where(Message.conversation_id == history.conversation_id, Message.sender == "bot")
            .order_by(Message.id)
        ).first()
        session.add(
            BlockedReply(message_id=first_bot.id, original_text=HELD_BACK, reasons=["minimising"])
        )


def _transcript(reader: Browser, client: Account, history: History, suffix: str = ""):  # type: ignore[no-untyped-def]
    return reader.get(
        f"/app/clients/{client.client_id}/conversations/{history.conversation_id}{suffix}"
    )


def test_transcript_never_shows_a_private_entrys_answer(
    db_url: str, reader: Browser, client: Account
) -> None:
    history = seed_history(db_url, client.client_id or "", private_answer=SECRET)
    page = _transcript(reader, client, history)
    assert page.status_code == 200
    assert SECRET not in page.text
    assert page.text.count("private entry") == 2  # the client's answer and the read-back


def test_transcript_hides_a_private_answer_in_a_conversation_without_escalation(
    db_url: str, reader: Browser, client: Account
) -> None:
    with session_scope(db_url) as session:
        conversation = current_conversation(session, client.client_id or "", idle_minutes=60)
        asked = record(session, conversation, "bot", "What is one thing you can see?")
        record(session, conversation, "client", SECRET, reply_to=asked)
        record(session, conversation, "bot", f"You noticed: {SECRET}.")
        save_entry(
            session,
            client.client_id or "",
            "grounding",
            [Answer("What is one thing you can see?", SECRET)],
            completed=True,
            shared=False,
        )
        conversation_id = conversation.id
    page = reader.get(f"/app/clients/{client.client_id}/conversations/{conversation_id}")
    assert SECRET not in page.text
    assert page.text.count("private entry") == 2


def test_transcript_shows_the_crisis_messages_risk_level_and_signals(
    db_url: str, reader: Browser, client: Account
) -> None:
    history = seed_history(db_url, client.client_id or "")
    page = _transcript(reader, client, history)
    assert "i don&#39;t want to be here anymore" in page.text
    assert "risk: crisis" in page.text
    assert "signals: passive_ideation" in page.text
    assert f"Escalation #{history.escalation_id}: crisis, open" in page.text


def test_transcript_shows_a_blocked_replys_reason_and_original_text(
    db_url: str, reader: Browser, client: Account
) -> None:
    history = seed_history(db_url, client.client_id or "")
    _block_first_bot_message(db_url, history)
    page = _transcript(reader, client, history)
    assert "Reply blocked by the output rail (minimising)" in page.text
    assert "Just cheer up, it is not that bad." in page.text


def test_client_page_shows_private_entry_without_text_and_shared_entry_with_it(
    db_url: str, reader: Browser, client: Account
) -> None:
    seed_history(db_url, client.client_id or "", private_answer=SECRET)
    _shared_entry(db_url, client.client_id or "", "a walk by the river")
    page = reader.get(f"/app/clients/{client.client_id}")
    assert page.status_code == 200
    assert "private entry" in page.text
    assert SECRET not in page.text
    assert "a walk by the river" in page.text


def test_search_finds_own_clients_shared_entries_only(
    db_url: str,
    reader: Browser,
    client: Account,
    account: Callable[..., Account],
) -> None:
    seed_history(db_url, client.client_id or "", private_answer="river of secrets")
    _shared_entry(db_url, client.client_id or "", "a walk by the river")
    theirs = account("theirs@clinic.example", "therapist")
    stranger = account("stranger@clinic.example", "client", therapist_id=theirs.therapist_id)
    _shared_entry(db_url, stranger.client_id or "", "river stones in my pocket")
    page = reader.post("/app/search", {"q": "RIVER"})
    assert page.status_code == 200
    assert "1 found" in page.text
    assert "a walk by the river" in page.text
    assert "river of secrets" not in page.text
    assert "river stones" not in page.text


def test_csv_export_has_a_header_and_a_row_per_message_without_private_text(
    db_url: str, reader: Browser, client: Account
) -> None:
    history = seed_history(db_url, client.client_id or "", private_answer=SECRET)
    response = _transcript(reader, client, history, "/transcript.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    header, *rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(header) == COLUMNS
    with session_scope(db_url) as session:
        stored = session.scalars(
            select(Message.text)
            .where(Message.conversation_id == history.conversation_id)
            .order_by(Message.id)
        ).all()
    assert len(rows) == len(stored) == 4
    assert [row[2] for row in rows][1:3] == ["private entry", "private entry"]
    assert SECRET not in response.text


def test_pdf_export_is_a_pdf_of_some_size(db_url: str, reader: Browser, client: Account) -> None:
    history = seed_history(db_url, client.client_id or "")
    response = _transcript(reader, client, history, "/transcript.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000


def test_growth_setting_form_changes_the_clients_growth_prompts(
    db_url: str, reader: Browser, client: Account
) -> None:
    with session_scope(db_url) as session:
        assert session.get(Client, client.client_id).growth_prompts == "auto"
    url = f"/app/clients/{client.client_id}/growth"
    assert reader.post(url, {"setting": "off"}).status_code == 303
    with session_scope(db_url) as session:
        assert session.get(Client, client.client_id).growth_prompts == "off"
    assert reader.post(url, {"setting": "on"}).status_code == 303
    with session_scope(db_url) as session:
        assert session.get(Client, client.client_id).growth_prompts == "on"


def test_free_writing_paragraphs_are_hidden_but_a_short_reply_elsewhere_is_not(
    db_url: str, client: Account
) -> None:
    from bot.review import PRIVATE_ENTRY, own_conversation, transcript

    paragraphs = ["i keep thinking about the move", "ok so maybe it was not my fault"]
    with session_scope(db_url) as session:
        conversation = current_conversation(session, client.client_id or "", idle_minutes=60)
        for text in ["ok", *paragraphs, "done"]:
            record(session, conversation, "client", text)
        save_entry(
            session,
            client.client_id or "",
            "free_writing",
            [Answer("Write whatever comes.", "\n\n".join(paragraphs))],
            completed=True,
            shared=False,
        )
        found = session.get(Client, client.client_id)
        lines = transcript(session, found, own_conversation(session, found, conversation.id))
        shown = [line.text for line in lines]
    assert shown == ["ok", PRIVATE_ENTRY, PRIVATE_ENTRY, "done"]


def test_transcript_shows_how_the_assistant_read_each_shown_message(
    db_url: str, reader: Browser, client: Account
) -> None:
    history = seed_history(db_url, client.client_id or "", private_answer=SECRET)
    with session_scope(db_url) as session:
        alarm = session.scalars(
            select(Message).where(Message.text == "i don't want to be here anymore")
        ).one()
        sender = client.client_id or ""
        # What Rasa's event broker would have published for the private answer and the alarm.
        for n, (message_id, intent) in enumerate(
            [(history.message_id, "inform"), (alarm.id, "crisis")]
        ):
            at = 1796100000.0 + 10 * n
            for event in (
                {
                    "event": "user",
                    "timestamp": at,
                    "parse_data": {"intent": {"name": intent, "confidence": 0.91}},
                    "metadata": {MESSAGE_ID_KEY: message_id},
                },
                {"event": "action", "timestamp": at + 1, "name": "action_crisis_support"},
                {"event": "slot", "timestamp": at + 2, "name": "in_crisis", "value": True},
                {"event": "action", "timestamp": at + 3, "name": "action_listen"},
            ):
                store(session, json.dumps({"sender_id": sender, **event}).encode())
    page = _transcript(reader, client, history)
    assert page.text.count("Read as ") == 1  # not for the private answer
    assert "Read as crisis (0.91)." in page.text
    assert "Then: action_crisis_support." in page.text
    assert "Filled: in_crisis." in page.text
    assert "action_listen" not in page.text
