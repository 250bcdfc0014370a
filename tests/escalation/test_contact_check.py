"""Contacts that reach nobody are said loudly: at `reflect run`, in `escalations list`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.escalation.config import Contact, OnCall
from bot.escalation.contact_check import check_contacts, check_on_call_file, is_placeholder
from bot.settings import Settings

REAL = Contact("Night team", email="night@clinic.org", webhook="https://pager.clinic.org/x")
DESK = Contact("Duty desk", email="duty@clinic.org")
EXAMPLE = Contact("Example", email="oncall@clinic.example", webhook="https://pager.example.com/x")


@pytest.mark.parametrize(
    "address, placeholder",
    [
        ("oncall@clinic.example", True),
        ("someone@example.org", True),
        ("someone@mail.example.com", True),
        ("https://pager.example.net/hook", True),
        ("http://hooks.test/x", True),
        ("nobody@host.invalid", True),
        ("night@clinic.org", False),
        ("https://pager.clinic.org/example", False),
        ("http://127.0.0.1:9099/reflect/escalations", False),
        ("someone@example.org.uk", False),
    ],
)
def test_reserved_example_names_are_placeholders(address: str, placeholder: bool) -> None:
    assert is_placeholder(address) is placeholder


def test_the_status_names_the_worst_problem() -> None:
    assert check_contacts(OnCall((REAL,), DESK)).status == "ok"
    assert check_contacts(OnCall((REAL,), DESK)).problems == ()
    assert check_contacts(OnCall((REAL,))).status == "no_fallback"
    assert check_contacts(OnCall((EXAMPLE,), EXAMPLE)).status == "example_only"
    assert check_contacts(OnCall((EXAMPLE,))).status == "example_only"
    assert check_contacts(OnCall(())).status == "none"
    assert check_contacts(OnCall((), DESK)).status == "ok"  # every escalation goes to the desk
    mixed = check_contacts(OnCall((EXAMPLE, REAL), DESK))
    assert mixed.status == "ok"
    (problem,) = mixed.problems
    assert problem == "the contact 'Example' has only example addresses"


def test_the_shipped_on_call_file_is_examples_only() -> None:
    check = check_on_call_file(Settings())
    assert check.status == "example_only"
    assert any("nobody is told about a crisis" in problem for problem in check.problems)


def test_reflect_run_warns_loudly_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "on_call.yml"
    path.write_text("contacts: []\n", encoding="utf-8")
    monkeypatch.setenv("REFLECT_ON_CALL_FILE", str(path))
    assert main(["run", "--model", str(tmp_path / "no-model.tar.gz")]) == 1
    err = capsys.readouterr().err
    assert "WARNING: escalations: no on-call contact is configured" in err
    assert "WARNING: escalations: no fallback contact" in err
    assert err.index("WARNING") < err.index("no trained model")


def test_escalations_list_says_when_contacts_reach_nobody(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["escalations", "list"]) == 0  # the shipped file: examples only
    out = capsys.readouterr().out
    assert (
        "warning: every on-call contact (On-call clinician, Clinical lead, Clinic duty desk) has "
        "only example addresses: nobody is told about a crisis"
    ) in out
    assert "no open escalations" in out
