"""The crisis and hand-over replies: locale lines, the safety plan, and the output rail."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.escalation.config import crisis_lines
from bot.escalation.reply import crisis_reply, handoff_reply
from bot.settings import Settings
from bot.storage.models import Client, SafetyPlan
from guardrails import check_reply

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
    for reply in replies:
        assert check_reply(reply, level).verdict == "allow", reply
