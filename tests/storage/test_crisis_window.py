"""The crisis window on a real SQLite file: what a clinician reads of a private client's chat,
through storage and through `reflect escalations transcript`."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.cli import main
from bot.escalation.config import OnCall
from bot.storage.accounts import add_client
from bot.storage.conversations import current_conversation, record
from bot.storage.crisis_window import crisis_window
from bot.storage.db import session_scope
from bot.storage.escalations import clinician_says, join, open_escalation, resolve
from bot.storage.journal import Answer, save_entry
from bot.storage.models import Conversation, Escalation
from guardrails import RiskAssessment

CRISIS = "tonight is the night, i have the pills"
# What the client wrote the week before, and after the escalation was resolved.
BEFORE = "an older private entry about my brother"
AFTER = "a private entry written the week after"


def say(session: Session, conversation: Conversation, sender: str, text: str) -> None:
    record(session, conversation, sender, text)


@pytest.fixture
def private_escalation(db_url: str) -> int:
    """A client enrolled as private: a conversation the week before, then a conversation with
    a grounding exercise that a crisis ends, a clinician who joins, the resolution, and private
    writing after it, in that conversation and in a new one."""
    with session_scope(db_url) as session:
        add_client(session, "Robin", client_id="robin", share_by_default=False)
        earlier = current_conversation(session, "robin", idle_minutes=60)
        say(session, earlier, "client", BEFORE)
        say(session, earlier, "bot", "Thank you for writing that down.")
        save_entry(session, "robin", "gratitude", [Answer("Good thing?", BEFORE)], completed=True)

        crisis_day = current_conversation(session, "robin", idle_minutes=0)  # idle: a new one
        say(session, crisis_day, "client", "grounding please")
        say(session, crisis_day, "bot", "Name one thing you can see.")
        say(session, crisis_day, "client", "the window")
        trigger = record(
            session,
            crisis_day,
            "client",
            CRISIS,
            risk=RiskAssessment("crisis", ("plan",)),
        )
        escalation = open_escalation(session, trigger, "robin", "crisis", OnCall(contacts=()))
        say(session, crisis_day, "bot", "Are you safe right now?")
        join(session, escalation.id, "Dr. Rivera")
        clinician_says(session, escalation.id, "It's Dr. Rivera. I'm here.")
        say(session, crisis_day, "client", "i'm at home with my sister")
        resolve(session, escalation.id, "Safe with family tonight.")

        say(session, crisis_day, "client", AFTER)
        save_entry(session, "robin", "gratitude", [Answer("Good thing?", AFTER)], completed=True)
        next_week = current_conversation(session, "robin", idle_minutes=0)
        say(session, next_week, "client", "another private thought")
        return escalation.id


# What the clinician sees: how the crisis came about, the crisis, and the hand-over.
WINDOW = [
    ("client", "grounding please"),
    ("bot", "Name one thing you can see."),
    ("client", "the window"),
    ("client", CRISIS),
    ("bot", "Are you safe right now?"),
    ("clinician", "It's Dr. Rivera. I'm here."),
    ("client", "i'm at home with my sister"),
]


def test_the_window_is_the_conversation_that_led_to_it_until_the_resolution(
    db_url: str, private_escalation: int
) -> None:
    with session_scope(db_url) as session:
        window = crisis_window(session, session.get(Escalation, private_escalation))
        assert [(m.sender, m.text) for m in window] == WINDOW


def test_after_narrows_the_window_and_never_widens_it(db_url: str, private_escalation: int) -> None:
    with session_scope(db_url) as session:
        escalation = session.get(Escalation, private_escalation)
        window = crisis_window(session, escalation)
        later = crisis_window(session, escalation, after_id=escalation.message_id)
        assert later == [m for m in window if m.id > escalation.message_id]
        assert crisis_window(session, escalation, after_id=window[-1].id) == []


def test_the_transcript_command_shows_the_window_and_no_private_writing(
    private_escalation: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["escalations", "transcript", str(private_escalation)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # The crisis itself is marked for the clinician.
    marked = [f"{s} [CRISIS]> {t}" if t == CRISIS else f"{s}> {t}" for s, t in WINDOW]
    assert [line.split("] ", 1)[1] for line in lines] == marked
    out = "\n".join(lines)
    assert BEFORE not in out and AFTER not in out and "another private thought" not in out


def test_while_open_the_window_runs_on_into_the_next_conversation(db_url: str) -> None:
    """A client still in crisis mode after a long silence starts a new conversation: what they
    say there is part of the crisis, so the clinician sees it."""
    with session_scope(db_url) as session:
        add_client(session, "Kai", client_id="kai")
        first = current_conversation(session, "kai", idle_minutes=60)
        trigger = record(session, first, "client", CRISIS, risk=RiskAssessment("crisis", ()))
        escalation = open_escalation(session, trigger, "kai", "crisis", OnCall(contacts=()))
        second = current_conversation(session, "kai", idle_minutes=0)
        say(session, second, "client", "still here, still not ok")

        assert [m.text for m in crisis_window(session, escalation)] == [
            CRISIS,
            "still here, still not ok",
        ]
