"""Private writing stays hidden from the therapist at the edges a review found: read back in a
later conversation, inside a reply the output rail blocked, in the exports' annotations, after
the client deletes their account; and a short private answer hides nothing else."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from bot.review import PRIVATE_ENTRY, own_conversation, transcript
from bot.storage.conversations import current_conversation, record
from bot.storage.db import session_scope
from bot.storage.journal import Answer, save_entry
from bot.storage.models import BlockedReply, Client, Conversation
from tests.web.conftest import Account, Browser, seed_history, sign_in

STEP = "call my brother on sunday"


def _shown(db_url: str, client_id: str, conversation_id: int) -> list[str]:
    with session_scope(db_url) as session:
        client = session.get(Client, client_id)
        conversation = own_conversation(session, client, conversation_id)
        return [line.text for line in transcript(session, client, conversation)]


def _new_conversation(db_url: str, client_id: str) -> Conversation:
    with session_scope(db_url) as session:
        session.query(Conversation).filter_by(client_id=client_id).update({"open_for": None})
        session.flush()
        return current_conversation(session, client_id, idle_minutes=0)


def test_a_private_answer_read_back_in_a_later_conversation_stays_hidden(
    db_url: str, account: Callable[..., Account]
) -> None:
    client = account("client@example.org", "client")
    with session_scope(db_url) as session:
        first = current_conversation(session, client.client_id, idle_minutes=60)
        record(session, first, "client", STEP)
        save_entry(
            session,
            client.client_id,
            "values",
            [Answer("A small step?", STEP)],
            completed=True,
            shared=False,
        )
    later = _new_conversation(db_url, client.client_id)
    with session_scope(db_url) as session:
        later = session.get(Conversation, later.id)
        record(session, later, "bot", f'Last time you chose a small step: "{STEP}". How did it go?')
        record(session, later, "client", "yes")
    assert _shown(db_url, client.client_id, later.id) == [PRIVATE_ENTRY, "yes"]


def test_a_blocked_reply_that_quoted_a_private_answer_is_hidden_with_it(
    db_url: str, account: Callable[..., Account]
) -> None:
    client = account("client@example.org", "client")
    history = seed_history(db_url, client.client_id, private_answer="the blue mug")
    with session_scope(db_url) as session:
        conversation = session.get(Conversation, history.conversation_id)
        shown = record(session, conversation, "bot", "Let's take a breath together.")
        session.add(
            BlockedReply(
                message_id=shown.id,
                original_text="At least you have the blue mug!",
                reasons=["minimising"],
            )
        )
    lines = _shown(db_url, client.client_id, history.conversation_id)
    assert lines[-1] == PRIVATE_ENTRY


def test_a_short_private_answer_hides_nothing_but_itself(
    db_url: str, account: Callable[..., Account]
) -> None:
    client = account("client@example.org", "client")
    with session_scope(db_url) as session:
        conversation = current_conversation(session, client.client_id, idle_minutes=60)
        record(session, conversation, "bot", "Did it help? There is no wrong answer.")
        record(session, conversation, "client", "no")
        save_entry(
            session,
            client.client_id,
            "breathing",
            [Answer("Did it help?", "no")],
            completed=True,
            shared=False,
        )
        conversation_id = conversation.id
    assert _shown(db_url, client.client_id, conversation_id) == [
        "Did it help? There is no wrong answer.",
        PRIVATE_ENTRY,
    ]


def test_the_csv_carries_no_annotation_for_a_hidden_line(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    therapist = account("t@clinic.example", "therapist")
    client = account("client@example.org", "client", therapist_id=therapist.therapist_id)
    history = seed_history(db_url, client.client_id, private_answer="i cut my arm last week")
    with session_scope(db_url) as session:
        conversation = session.get(Conversation, history.conversation_id)
        for message in conversation.messages:
            if message.text == "i cut my arm last week":
                message.risk_level, message.risk_signals = "concern", ["self_harm_past"]
    reader = sign_in(browser(), therapist)
    url = f"/app/clients/{client.client_id}/conversations/{history.conversation_id}/transcript.csv"
    rows = list(csv.DictReader(io.StringIO(reader.get(url).text)))
    hidden = [row for row in rows if row["text"] == PRIVATE_ENTRY and row["sender"] == "client"]
    assert hidden
    assert all(row["risk level"] == "" and row["risk sources"] == "" for row in hidden)
    page = reader.get(f"/app/clients/{client.client_id}/conversations/{history.conversation_id}")
    assert "self_harm_past" not in page.text and "i cut my arm" not in page.text


def test_after_deletion_the_therapist_no_longer_reads_the_kept_record(
    db_url: str, browser: Callable[[], Browser], account: Callable[..., Account]
) -> None:
    therapist = account("t@clinic.example", "therapist")
    client = account("client@example.org", "client", therapist_id=therapist.therapist_id)
    history = seed_history(db_url, client.client_id, private_answer="the blue mug")
    leaving = sign_in(browser(), client)
    assert leaving.post("/app/account/delete", {"confirm": "delete"}).status_code == 200
    reader = sign_in(browser(), therapist)
    assert reader.get(f"/app/clients/{client.client_id}").status_code == 404
    page = reader.get(f"/app/clients/{client.client_id}/conversations/{history.conversation_id}")
    assert page.status_code == 404 and "the blue mug" not in page.text
