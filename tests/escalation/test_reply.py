"""The crisis and hand-over replies: locale lines, the safety plan, and the output rail."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from bot.escalation.config import Contact, crisis_lines
from bot.escalation.reply import (
    HANDED_OVER,
    SAFETY_QUESTION,
    THERAPIST_TOO,
    WHO_KNOWS,
    crisis_reply,
    handoff_reply,
    support_reply,
)
from bot.escalation.worker import deliver_due
from bot.settings import Settings
from bot.storage.accounts import add_client
from bot.storage.escalations import acknowledge
from bot.storage.models import Client, SafetyPlan, utcnow
from guardrails import check_reply
from tests.escalation.test_worker import escalate_pills
from tests.receivers import WebhookReceiver
from tests.stack.conftest import free_port

SETTINGS = Settings()
RESOURCES = SETTINGS.config_path(SETTINGS.crisis_resources_file)


def test_the_default_locale_is_the_us() -> None:
    lines = " ".join(crisis_lines(RESOURCES, "US"))
    assert "988" in lines and "HOME to 741741" in lines and "911" in lines
    assert crisis_lines(RESOURCES, "ZZ") == crisis_lines(RESOURCES, "US")


def test_a_uk_client_sees_uk_lines(session: Session, enrolled_client: Client) -> None:
    session.get(Client, "sam").locale = "uk"
    reply = crisis_reply(session, SETTINGS, "sam", alerted=True, asks=True)
    assert "116 123" in reply and "999" in reply
    assert "988" not in reply


def test_the_safety_plan_is_shown_in_the_clients_words(
    session: Session, enrolled_client: Client
) -> None:
    assert "safety plan" not in crisis_reply(session, SETTINGS, "sam", alerted=True, asks=True)
    session.add(SafetyPlan(client_id="sam", coping="a cold shower", people_to_ask="my sister Ana"))
    session.flush()
    reply = crisis_reply(session, SETTINGS, "sam", alerted=True, asks=True)
    assert "What helps you cope: a cold shower" in reply
    assert "People you can ask for help: my sister Ana" in reply
    assert "Warning signs" not in reply  # empty parts are left out


@pytest.mark.parametrize("level", ["none", "concern", "crisis"])
@pytest.mark.parametrize("locale", ["US", "UK", "IE", "CA", "AU"])
def test_every_variant_passes_the_output_rail(
    session: Session, enrolled_client: Client, level: str, locale: str
) -> None:
    session.get(Client, "sam").locale = locale
    session.merge(SafetyPlan(client_id="sam", warning_signs="not sleeping", coping="walking"))
    session.flush()
    replies = [
        crisis_reply(session, SETTINGS, "sam", alerted=alerted, asks=asks)
        for alerted in (True, False)
        for asks in (True, False)
    ] + [handoff_reply(session, SETTINGS, "sam", alerted=a) for a in (True, False)]
    replies += [
        support_reply(session, SETTINGS, "sam", f"{SAFETY_QUESTION} {said} {THERAPIST_TOO}")
        for said in WHO_KNOWS.values()
    ]
    for reply in replies:
        assert check_reply(reply, level).verdict == "allow", reply


def test_the_client_is_told_what_is_true_about_who_has_word(
    session: Session, enrolled_client: Client
) -> None:
    webhook = WebhookReceiver(free_port(), "secret")
    settings = replace(SETTINGS, webhook_secret="secret", smtp_port=free_port())
    escalation = escalate_pills(session, Contact("First", webhook=webhook.url("/hook")))

    def said(asks: bool = False) -> str:
        return crisis_reply(session, settings, "sam", alerted=True, asks=asks)

    first = said(asks=True)
    assert f"{SAFETY_QUESTION} {WHO_KNOWS['telling']} {THERAPIST_TOO}" in first
    assert "988" in first  # the lines, whoever is told
    assert WHO_KNOWS["telling"] in said() and THERAPIST_TOO not in said()
    deliver_due(session, settings, utcnow())  # the receiver is down
    assert WHO_KNOWS["still_trying"] in said() and "988" in said()
    webhook.start()
    try:
        deliver_due(session, settings, utcnow() + timedelta(seconds=5))
    finally:
        webhook.stop()
    assert WHO_KNOWS["told"] in said()
    acknowledge(session, escalation.id, "Dr. Okafor")
    assert WHO_KNOWS["told"] in said()


def test_with_nobody_to_tell_the_client_is_told_so_and_given_the_lines(
    session: Session, enrolled_client: Client
) -> None:
    add_client(session, "Kim", client_id="kim")
    escalate_pills(session, None, client="kim")  # no contact, no fallback, no therapist
    crisis = crisis_reply(session, SETTINGS, "kim", alerted=True, asks=True)
    assert f"{SAFETY_QUESTION} {WHO_KNOWS['nobody']}" in crisis and "988" in crisis
    assert THERAPIST_TOO not in crisis
    asked = handoff_reply(session, SETTINGS, "kim", alerted=True)
    assert asked.startswith(f"{HANDED_OVER} {WHO_KNOWS['nobody']}") and "988" in asked
    unenrolled = handoff_reply(session, SETTINGS, "someone", alerted=False)
    assert unenrolled.startswith(f"{HANDED_OVER} {WHO_KNOWS['nobody']}")
