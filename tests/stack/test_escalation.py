"""Crisis escalation in the running stack, notified to real local receivers."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import select

from bot.chat import ChatSession
from bot.escalation.concern import ANSWERED_NO
from bot.escalation.reply import THERAPIST_TOO, WHO_KNOWS
from bot.stack import Stack
from bot.storage.accounts import add_client, add_therapist
from bot.storage.db import session_scope
from bot.storage.models import Escalation, OutboxDelivery
from tests.receivers import wait_for
from tests.stack.conftest import (
    MODEL,
    REFLECT,
    Enrolled,
    Receivers,
    chat,
    free_port,
    post,
    rasa_events,
    stack_settings,
)

CRISIS = "i have pills saved up and tonight is the night"
ALERTED = "on-call clinician"
GROWTH_PROMPT = "What's one thing, big or small"


def escalations_of(stack: Stack, client_id: str) -> list[Escalation]:
    with session_scope(stack.settings.app_database_url) as session:
        return list(
            session.scalars(
                select(Escalation).where(Escalation.client_id == client_id).order_by(Escalation.id)
            )
        )


def deliveries_of(stack: Stack, escalation_id: int) -> list[OutboxDelivery]:
    with session_scope(stack.settings.app_database_url) as session:
        return list(
            session.scalars(
                select(OutboxDelivery)
                .where(OutboxDelivery.escalation_id == escalation_id)
                .order_by(OutboxDelivery.id)
            )
        )


def reflect(stack: Stack, *args: str, status: int = 0) -> str:
    """Runs the `reflect` CLI against the stack's database, as a clinician would; its exit
    status must be `status`."""
    env = {
        **os.environ,
        "REFLECT_VAR_DIR": str(stack.settings.var_dir),
        "REFLECT_RASA_PORT": str(stack.settings.rasa_port),
    }
    env.pop("REFLECT_DATABASE_URL", None)
    done = subprocess.run([REFLECT, *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == status, (args, done.stdout, done.stderr)
    return done.stdout


def texts(response_json: dict) -> str:
    return " ".join(r["text"] for r in response_json["replies"])


def test_a_crisis_is_escalated_before_the_reply_and_both_notifiers_get_it(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("escalated")
    response = post(stack, client, CRISIS)

    assert response.status_code == 200
    reply = texts(response.json())
    assert "are you safe right now?" in reply and ALERTED in reply
    assert "988" in reply and "741741" in reply and "911" in reply
    (escalation,) = escalations_of(stack, "escalated")
    assert (escalation.state, escalation.risk_level) == ("open", "crisis")
    assert escalation.risk_signals
    assert escalation.message.text == CRISIS

    (hook,) = wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/first"))
    assert hook.payload["client_id"] == "escalated"
    assert hook.payload["message"] == CRISIS
    assert receivers.webhook.bad_signatures == 0
    mail = wait_for(
        lambda: [
            m
            for m in receivers.smtp.messages
            if m["To"] == "first@clinic.example" and f"#{escalation.id}:" in m["Subject"]
        ]
    )
    assert CRISIS in mail[0].get_payload()


def test_after_a_crisis_no_growth_prompt_until_the_escalation_is_resolved(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("held")
    assert post(stack, client, CRISIS).status_code == 200
    (escalation,) = escalations_of(stack, "held")

    for text in ["hi", "gratitude please", "ok", "yes"]:
        response = post(stack, client, text)
        assert response.status_code == 200
        reply = texts(response.json())
        assert ALERTED in reply and "988" in reply, text
        assert GROWTH_PROMPT not in reply and "gratitude" not in reply.lower(), text

    assert f"#{escalation.id} open" in reflect(stack, "escalations", "list")
    reflect(stack, "escalations", "ack", str(escalation.id), "--clinician", "Dr. Rivera")
    still = texts(post(stack, client, "gratitude please").json())
    assert ALERTED in still and GROWTH_PROMPT not in still
    out = reflect(stack, "escalations", "resolve", str(escalation.id), "--notes", "Called; safe.")
    assert "resolved by Dr. Rivera" in out

    after = post(stack, client, "gratitude please").json()
    assert ALERTED not in texts(after)  # crisis mode is over: the assistant answers again
    # ...but a crisis this week keeps readiness at stabilize: grounding is open, gratitude not yet.
    assert GROWTH_PROMPT not in texts(after)
    buttons = [b["payload"] for r in after["replies"] for b in r["buttons"]]
    assert buttons == [
        "/choose_grounding",
        "/choose_breathing",
        "/choose_safe_place",
        "/choose_free_writing",
        "/choose_body_scan",
        "/deny",
    ]
    assert f"#{escalation.id} " not in reflect(stack, "escalations", "list")
    assert f"#{escalation.id} resolved" in reflect(stack, "escalations", "list", "--all")


def test_a_receiver_that_is_down_gets_the_delivery_once_it_is_back(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("outage")
    receivers.webhook.stop()
    try:
        assert post(stack, client, CRISIS).status_code == 200
        (escalation,) = escalations_of(stack, "outage")
        failed = wait_for(
            lambda: [
                d
                for d in deliveries_of(stack, escalation.id)
                if d.channel == "webhook" and d.attempts >= 2 and d.delivered_at is None
            ]
        )
        assert "ConnectError" in (failed[0].last_error or "")
    finally:
        receivers.webhook.start()
    (hook,) = wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/first"))
    assert hook.payload["client_id"] == "outage"
    retried = failed[0].id
    wait_for(  # the worker records the delivery just after the receiver has it
        lambda: [
            d for d in deliveries_of(stack, escalation.id) if d.id == retried and d.delivered_at
        ]
    )


def test_an_unacknowledged_escalation_goes_to_the_next_contact(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("unanswered")
    assert post(stack, client, CRISIS).status_code == 200
    (escalation,) = escalations_of(stack, "unanswered")

    (second,) = wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/second"))
    assert second.payload["contact"] == "Second"
    wait_for(
        lambda: [
            m
            for m in receivers.smtp.messages
            if m["To"] == "second@clinic.example" and f"#{escalation.id}:" in m["Subject"]
        ]
    )
    assert receivers.webhook.for_escalation(escalation.id, "/first")  # the first was told first
    reflect(stack, "escalations", "ack", str(escalation.id), "--clinician", "Dr. Okafor")


def test_with_rasa_stopped_the_entry_point_answers_a_crisis_and_escalates(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("no-rasa")
    closed_port = stack_settings(stack.settings.var_dir).rasa_port
    entry_only = Stack(
        stack_settings(
            stack.settings.var_dir,
            rasa_port=closed_port,
            on_call_file=receivers.on_call_file,
            smtp_port=receivers.smtp.port,
        ),
        stack.model,
    )
    entry_only.start(only=("entry",))
    try:
        first = post(entry_only, client, CRISIS)
        later = post(entry_only, client, "are you still there?")
    finally:
        entry_only.stop()

    assert first.status_code == 200
    assert "are you safe right now?" in texts(first.json()) and "988" in texts(first.json())
    assert later.status_code == 200
    assert ALERTED in texts(later.json())
    (escalation,) = escalations_of(stack, "no-rasa")
    assert escalation.state == "open"
    # The session stack's worker delivers it, though this entry point had no Rasa behind it.
    wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/first"))


def test_asking_for_a_person_is_answered_honestly_can_wait_and_a_crisis_overrides_it(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("asker")
    done = chat(stack, client, ["can i talk to a real person please", "It can wait"])

    assert done.returncode == 0, done.stderr
    assert ALERTED in done.stdout and "not urgent" in done.stdout
    assert "988" not in done.stdout  # a person, not the suicide-crisis text
    assert "noted that it can wait" in done.stdout
    (escalation,) = escalations_of(stack, "asker")
    assert (escalation.reason, escalation.urgent) == ("the client asked for a person", False)
    assert "not urgent" in reflect(stack, "escalations", "list")
    (sent, *_) = wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/first"))
    assert sent.payload["reason"] == "the client asked for a person"
    # The conversation goes on while they wait; a crisis still overrides the request.
    assert ALERTED not in texts(post(stack, client, "hi again").json())
    crisis = texts(post(stack, client, CRISIS).json())
    assert "are you safe right now?" in crisis
    (escalation,) = escalations_of(stack, "asker")
    assert escalation.urgent and escalation.reason == "the input rail found a crisis"
    reflect(
        stack,
        "escalations",
        "resolve",
        str(escalation.id),
        "--notes",
        "Rang.",
        "--clinician",
        "First",
    )


def test_a_joined_clinician_and_the_client_talk_while_the_bot_is_quiet(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("joined")
    assert post(stack, client, CRISIS).status_code == 200
    (escalation,) = escalations_of(stack, "joined")
    chat = ChatSession(stack.settings.entry_url, client.client_id, client.token)
    assert chat.clinician_messages() == []  # catches up on what was said before

    reflect(stack, "escalations", "join", str(escalation.id), "--clinician", "Dr. Rivera")
    assert rasa_events(stack, "joined")[-1]["event"] == "pause"  # ConversationPaused
    quiet = post(stack, client, "hello, are you there?")
    assert quiet.status_code == 200
    assert quiet.json()["replies"] == []
    reflect(stack, "escalations", "say", str(escalation.id), "I'm here. Are you somewhere safe?")
    assert chat.clinician_messages() == ["I'm here. Are you somewhere safe?"]

    polled = httpx.get(
        f"{stack.settings.entry_url}/v1/messages",
        params={"client_id": "joined", "after": 0},
        headers={"Authorization": f"Bearer {client.token}"},
    ).json()["messages"]
    assert [m["sender"] for m in polled][-2:] == ["client", "clinician"]
    transcript = reflect(stack, "escalations", "transcript", str(escalation.id))
    assert "client> hello, are you there?" in transcript
    assert "clinician> I'm here. Are you somewhere safe?" in transcript
    assert "bot> " in transcript  # the crisis reply, before the clinician joined

    # Advice, never a block: a message that may read as dismissive is held once, with a note.
    brisk = "Try to remember how much you still have going for you, okay?"
    held = reflect(stack, "escalations", "say", str(escalation.id), brisk, status=3)
    assert held.startswith("not sent: this may read as") and "--anyway" in held
    assert chat.clinician_messages() == []
    reflect(stack, "escalations", "say", str(escalation.id), brisk, "--anyway")
    assert chat.clinician_messages() == [brisk]

    reflect(stack, "escalations", "leave", str(escalation.id))
    assert rasa_events(stack, "joined")[-1]["event"] == "resume"  # ConversationResumed
    assert ALERTED in texts(post(stack, client, "ok").json())  # still in crisis mode
    reflect(stack, "escalations", "resolve", str(escalation.id), "--notes", "Talked it through.")


def test_the_transcript_needs_the_clients_token(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    enrol("private-chat")
    response = httpx.get(
        f"{stack.settings.entry_url}/v1/messages",
        params={"client_id": "private-chat"},
        headers={"Authorization": "Bearer wrong"},
    )
    assert response.status_code == 401


def test_hopelessness_gets_a_direct_question_and_a_yes_escalates(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    asked, denied = enrol("asked"), enrol("denied")
    for client in (asked, denied):
        replies = post(stack, client, "i feel so hopeless, nothing will ever change").json()
        assert "thoughts of suicide?" in replies["replies"][-1]["text"]
        assert escalations_of(stack, client.client_id) == []

    answer = texts(post(stack, asked, "sometimes").json())
    assert "are you safe right now?" in answer and ALERTED in answer
    (escalation,) = escalations_of(stack, "asked")
    assert escalation.reason.startswith("the client did not say no")

    assert texts(post(stack, denied, "no, i'm not").json()) == ANSWERED_NO
    assert escalations_of(stack, "denied") == []
    # The no is not passed on, so Rasa cannot take it as a no to what it offered before.
    said = [e["text"] for e in rasa_events(stack, "denied") if e["event"] == "user"]
    assert said[-1] == "i feel so hopeless, nothing will ever change"


def test_an_on_call_file_broken_while_running_never_loses_a_crisis(
    stack: Stack, enrol: Callable[..., Enrolled], receivers: Receivers
) -> None:
    client = enrol("brokenconfig")
    good = receivers.on_call_file.read_text(encoding="utf-8")
    receivers.on_call_file.write_text("contacts: [\n", encoding="utf-8")  # a bad edit
    try:
        response = post(stack, client, CRISIS)
    finally:
        receivers.on_call_file.write_text(good, encoding="utf-8")
    assert response.status_code == 200
    reply = texts(response.json())
    assert "are you safe right now?" in reply and "988" in reply
    (escalation,) = escalations_of(stack, "brokenconfig")
    assert escalation.message.text == CRISIS
    # The last good copy of the contacts was used: the first contact is told as usual.
    assert wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/first"))


def test_an_unreachable_contact_shows_failing_and_the_fallback_and_the_therapist_get_word(
    tmp_path: Path, receivers: Receivers
) -> None:
    """Its own entry point and worker (no Rasa needed), with an on-call contact whose port is
    closed and a fallback that answers; the shared stack is left as it is."""
    closed = f"http://127.0.0.1:{free_port()}/page"
    on_call = tmp_path / "on_call.yml"
    on_call.write_text(
        f"contacts:\n  - {{name: Unreachable, webhook: '{closed}'}}\n"
        f"fallback: {{name: Duty desk, webhook: '{receivers.webhook.url('/fallback')}'}}\n",
        encoding="utf-8",
    )
    settings = stack_settings(
        tmp_path / "var",
        on_call_file=on_call,
        smtp_port=receivers.smtp.port,
        fallback_after_s=2.0,
    )
    small = Stack(settings, MODEL)
    small.start(only=("worker", "entry"))
    try:
        with session_scope(settings.app_database_url) as session:
            therapist = add_therapist(session, "Dr. Lee", "lee@clinic.example")
            _, token = add_client(session, "Robin", client_id="robin", therapist_id=therapist.id)
        robin = Enrolled("robin", token)

        def health() -> dict:
            return httpx.get(f"{settings.entry_url}/healthz", timeout=30).json()

        assert health()["escalation_contacts"] == "ok"
        first = texts(post(small, robin, CRISIS).json())
        assert f"{WHO_KNOWS['telling']} {THERAPIST_TOO}" in first and "988" in first
        (escalation,) = escalations_of(small, "robin")

        (word,) = wait_for(lambda: receivers.webhook.for_escalation(escalation.id, "/fallback"))
        assert (word.payload["audience"], word.payload["message"]) == ("fallback", CRISIS)
        wait_for(lambda: [m for m in receivers.smtp.messages if m["To"] == "lee@clinic.example"])
        when = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
        delivered = [
            rf"fallback Duty desk by webhook <[^>]+>: delivered {when}",
            rf"therapist Dr. Lee by email <lee@clinic.example>: delivered {when}",
        ]
        # The worker records each delivery just after its receiver has it.
        listing = wait_for(
            lambda: (
                (out := reflect(small, "escalations", "list"))
                and all(re.search(pattern, out) for pattern in delivered)
                and out
            )
        )
        failing = rf"on-call Unreachable by webhook <{closed}>: FAILING since {when}"
        assert re.search(failing, listing), listing
        assert WHO_KNOWS["told"] in texts(post(small, robin, "are you there?").json())

        worker_log = (settings.var_dir / "logs" / "worker.log").read_text(encoding="utf-8")
        assert f"escalation {escalation.id}: no on-call contact reached" in worker_log
        assert "telling the fallback contact Duty desk" in worker_log
        assert CRISIS not in worker_log

        on_call.write_text(
            "contacts:\n  - {name: Example, email: oncall@clinic.example}\n", encoding="utf-8"
        )
        assert health()["escalation_contacts"] == "example_only"
        on_call.write_text("contacts: []\n", encoding="utf-8")
        assert health() == {"status": "ok", "assistant": "down", "escalation_contacts": "none"}
    finally:
        small.stop()
