"""Enrolment on a real SQLite file: therapists, clients, tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from bot.storage.accounts import (
    AccountError,
    add_client,
    add_therapist,
    enrolment_locale,
    reissue_token,
    token_matches,
)
from bot.storage.db import engine_for
from bot.storage.models import Client


def test_schema_has_every_table(db_url: str) -> None:
    tables = set(inspect(engine_for(db_url)).get_table_names())
    assert {
        "therapists",
        "clients",
        "conversations",
        "messages",
        "journal_entries",
        "entry_items",
        "escalations",
        "outbox",
        "safety_plans",
    } <= tables


def test_a_client_has_a_locale_for_crisis_lines(session: Session) -> None:
    assert add_client(session, "Sam", client_id="sam")[0].locale == "US"
    assert add_client(session, "Ana", client_id="ana", locale="uk")[0].locale == "UK"


def test_enrolment_takes_only_a_locale_the_crisis_lines_file_has(tmp_path: Path) -> None:
    lines = {"crisis": ["Call 112."], "safeguarding": ["Call 112."]}
    resources = tmp_path / "crisis_resources.yml"
    resources.write_text(yaml.safe_dump({"default": "IE", "locales": {"IE": lines, "UK": lines}}))
    assert enrolment_locale(resources, None) == "IE"
    assert enrolment_locale(resources, "uk") == "UK"
    for unknown in ["US", "XX", "", "english"]:
        with pytest.raises(AccountError, match=f"no crisis lines for locale '{unknown}'"):
            enrolment_locale(resources, unknown)


def test_a_therapist_has_clients(session: Session) -> None:
    therapist = add_therapist(session, "Dr. Okafor", "okafor@clinic.example")
    add_client(session, "Ana", client_id="ana", therapist_id=therapist.id)
    add_client(session, "Ben", client_id="ben", therapist_id=therapist.id)
    session.commit()
    assert sorted(c.id for c in therapist.clients) == ["ana", "ben"]


def test_the_token_is_stored_only_as_a_hash(session: Session) -> None:
    client, token = add_client(session, "Ana", client_id="ana")
    assert token not in client.token_hash
    assert token_matches(client, token)
    assert not token_matches(client, token + "x")


def test_reissuing_a_token_retires_the_old_one(session: Session) -> None:
    client, old = add_client(session, "Ana", client_id="ana")
    new = reissue_token(session, "ana")
    assert token_matches(client, new)
    assert not token_matches(client, old)


def test_sharing_default_is_chosen_at_enrolment(session: Session) -> None:
    shared, _ = add_client(session, "Ana", client_id="ana", share_by_default=True)
    private, _ = add_client(session, "Ben", client_id="ben")
    assert shared.share_by_default is True
    assert private.share_by_default is False


@pytest.mark.parametrize("bad_id", ["", "has space", "-leading-dash", "x" * 65, "semi;colon"])
def test_bad_client_ids_are_refused(session: Session, bad_id: str) -> None:
    with pytest.raises(AccountError):
        add_client(session, "Ana", client_id=bad_id)


def test_duplicates_and_unknown_therapists_are_refused(session: Session) -> None:
    add_therapist(session, "Dr. Okafor", "okafor@clinic.example")
    add_client(session, "Ana", client_id="ana")
    with pytest.raises(AccountError):
        add_therapist(session, "Someone", "okafor@clinic.example")
    with pytest.raises(AccountError):
        add_client(session, "Ana again", client_id="ana")
    with pytest.raises(AccountError):
        add_client(session, "Cy", client_id="cy", therapist_id=999)
    assert session.get(Client, "cy") is None


def test_a_generated_client_id_is_valid(session: Session) -> None:
    client, _ = add_client(session, "Dee")
    assert client.id.startswith("c-")
