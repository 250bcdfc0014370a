"""The web app's three journeys in a real browser, on the running stack.

1. A client signs in, chats through a grounding exercise, makes the entry private and exports
   their data.
2. Their therapist reviews the transcript with its safety annotations, does not see the private
   entry, and gets 404 for another therapist's client.
3. A crisis message opens an escalation; a clinician takes it from the queue, joins and writes,
   and the client sees the words live; the clinician resolves it and the audit trail shows
   each step.

Every page is driven with the keyboard alone, checked with axe-core, at a phone's width, and
screenshotted to tests/artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from tests.stack.browser.conftest import (
    SENSES,
    WebAccount,
    app_url,
    check_page,
    grounding,
    press,
    say,
    sign_in,
    tab_to,
    tab_to_control,
)
from tests.stack.test_escalation import CRISIS

CONCERN = "the nightmares are back and i keep having flashbacks at work"


def go(page: Page, link: str) -> None:
    """Follows a link of the page's navigation with the keyboard."""
    press(page, link)


def test_a_client_chats_through_grounding_makes_it_private_and_exports_it(
    stack: Stack,
    web_account: Callable[..., WebAccount],
    open_context: Callable[..., BrowserContext],
) -> None:
    therapist = web_account("rivera@clinic.example", "Dr. Rivera", "therapist")
    client = web_account(
        "sam@example.org", "Sam", "client", therapist_id=therapist.therapist_id, share=True
    )
    page = open_context().new_page()
    sign_in(page, stack, client)
    assert page.url == app_url(stack, "/chat")
    grounding(page)
    check_page(page, "client-chat")

    go(page, "Entries")
    assert page.locator(".tag").inner_text() == "Shared with your therapist"
    press(page, "Make private")
    assert page.locator(".tag").inner_text() == "Private"
    with session_scope(stack.settings.app_database_url) as session:
        (entry,) = entries_for(session, client.client_id or "")
        assert (entry.exercise, entry.shared_with_therapist) == ("grounding", False)
        assert [item.answer for item in entry.items] == SENSES
    check_page(page, "client-entries")

    for link, name in (("Safety plan", "client-safety-plan"), ("Trend", "client-trend")):
        go(page, link)
        check_page(page, name)
    go(page, "Account")
    check_page(page, "client-account")
    tab_to_control(page, "Download my data")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    (saved,) = exported["entries"]
    assert [a["answer"] for a in saved["answers"]] == SENSES
    assert saved["shared_with_therapist"] is False
    said = [m["text"] for c in exported["conversations"] for m in c["messages"]]
    assert "shaky" in said and SENSES[0] in said
    # The web chat logs no client's words, in any process's log.
    for log in stack.log_dir.iterdir():
        text = log.read_text(errors="replace")
        assert not [sense for sense in SENSES if sense in text], log.name


def test_a_therapist_reviews_the_annotated_transcript_without_the_private_entry(
    stack: Stack,
    web_account: Callable[..., WebAccount],
    open_context: Callable[..., BrowserContext],
) -> None:
    therapist = web_account("okafor@clinic.example", "Dr. Okafor", "therapist")
    other = web_account("lind@clinic.example", "Dr. Lind", "therapist")
    client = web_account("ana@example.org", "Ana", "client", therapist_id=therapist.therapist_id)
    someone_else = web_account("bo@example.org", "Bo", "client", therapist_id=other.therapist_id)
    chat = open_context().new_page()
    sign_in(chat, stack, client)
    grounding(chat)  # Ana keeps new entries private: the grounding entry is private
    say(chat, CONCERN)

    page = open_context().new_page()
    sign_in(page, stack, therapist)
    assert page.url == app_url(stack, "/clients")
    check_page(page, "therapist-clients")
    press(page, "Ana")
    assert page.get_by_text("private entry").is_visible()
    check_page(page, "therapist-client")
    tab_to(page, "a[href*='/conversations/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    text = page.inner_text("main")
    for sense in SENSES:
        assert sense not in text, sense
    assert "private entry" in text
    assert CONCERN in text
    assert "risk: concern" in text and "flashback" in text and "Set by rules" in text
    assert "risk: none" in text
    check_page(page, "therapist-transcript")

    page.goto(app_url(stack, f"/clients/{someone_else.client_id}"))
    assert page.get_by_role("heading", name="Not found").is_visible()


def test_a_clinician_takes_a_crisis_from_the_queue_and_the_client_sees_it_live(
    stack: Stack,
    web_account: Callable[..., WebAccount],
    open_context: Callable[..., BrowserContext],
) -> None:
    client = web_account("kai@example.org", "Kai", "client")
    clinician = web_account("oncall@clinic.example", "Jo Rivera", "clinician")
    admin = web_account("it@clinic.example", "Clinic admin", "admin")
    chat = open_context().new_page()
    sign_in(chat, stack, client)
    say(chat, "hi")
    say(chat, CRISIS)
    assert chat.get_by_text("on-call clinician").first.is_visible()

    console = open_context().new_page()
    sign_in(console, stack, clinician)
    assert console.url == app_url(stack, "/escalations")
    row = console.locator("tr", has_text=client.client_id or "")
    assert "open" in row.inner_text() and "min" in row.inner_text()
    check_page(console, "clinician-queue")
    press(console, row.locator("a").inner_text())
    assert CRISIS in console.inner_text("main")
    press(console, "Acknowledge")
    press(console, "Join the chat")
    words = "I'm here with you now. Are you somewhere safe at the moment?"
    tab_to(console, "#text")
    console.keyboard.type(words)
    press(console, "Send")
    check_page(console, "clinician-console")

    # The client's page was not reloaded: the words arrive through the live stream.
    chat.locator("li.msg.clinician", has_text=words).wait_for(timeout=15000)
    check_page(chat, "client-chat-live")

    tab_to(console, "#notes")
    console.keyboard.type("Spoke with Kai; safe with their sister tonight; GP tomorrow.")
    press(console, "Resolve")
    assert "Resolved" in console.inner_text("main")

    audit = open_context().new_page()
    sign_in(audit, stack, admin)
    assert audit.url == app_url(stack, "/admin/audit")
    rows = audit.locator("tbody tr", has_text=clinician.email).all_inner_texts()
    done = [r for r in rows if "escalation:" in r]
    actions = {
        a for r in done for a in ("acknowledge", "join", "say", "resolve") if f"escalation.{a}" in r
    }
    assert actions == {"acknowledge", "join", "say", "resolve"}
    check_page(audit, "admin-audit")


def test_the_other_pages_pass_the_same_checks_from_invitation_to_search(
    stack: Stack,
    web_account: Callable[..., WebAccount],
    open_context: Callable[..., BrowserContext],
) -> None:
    """Sign-in, the invite pages, search and the error page: keyboard, axe-core, phone."""
    admin = web_account("office@clinic.example", "Clinic office", "admin")
    page = open_context().new_page()
    page.goto(app_url(stack, "/login"))
    check_page(page, "login")
    sign_in(page, stack, admin)
    go(page, "Invites")
    for field, value in (("#name", "Dr. Moss"), ("#email", "moss@clinic.example")):
        tab_to(page, field)
        page.keyboard.type(value)
    tab_to(page, "#role")
    page.keyboard.type("therapist")  # a select takes the typed option
    press(page, "Make the invitation")
    link = page.locator(".link-out").inner_text()
    check_page(page, "admin-invites")

    newcomer = open_context().new_page()
    newcomer.goto(link)
    check_page(newcomer, "invite")
    for field in ("#password", "#confirm"):
        tab_to(newcomer, field)
        newcomer.keyboard.type("a password of my own")
    press(newcomer, "Make my account")
    assert newcomer.url == app_url(stack, "/clients")
    go(newcomer, "Search entries")
    tab_to(newcomer, "#q")
    newcomer.keyboard.type("lamp")
    press(newcomer, "Search")
    assert "0 found" in newcomer.inner_text("main")
    check_page(newcomer, "therapist-search")
    newcomer.goto(app_url(stack, "/admin/audit"))
    assert newcomer.get_by_role("heading", name="Not for your role").is_visible()
    check_page(newcomer, "forbidden")
