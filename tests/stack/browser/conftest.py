"""A real browser on the running stack: Playwright drives Debian's Chromium, headless.

`make test` installs Chromium (scripts/install-browser) and Playwright; Playwright's own
browser download is never used. Each page a journey opens is also checked with axe-core
(vendored in tests/browser/vendor), at a phone-sized viewport, and with the keyboard alone;
screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from bot.stack import Stack
from bot.storage.db import session_scope
from bot.storage.users import Role, add_user
from bot.web.passwords import hash_password
from tests.conftest import PROJECT_DIR

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_DIR / "tests" / "browser" / "vendor" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT_DIR / "tests" / "artifacts"
PASSWORD = "journeys need a password"
PASSWORD_HASH = hash_password(PASSWORD)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1100, "height": 900}
# axe-core's impact levels that fail a page.
FAILING_IMPACT = ("serious", "critical")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/install-browser)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


@dataclass(frozen=True)
class WebAccount:
    email: str
    name: str
    role: Role
    client_id: str | None = None
    therapist_id: int | None = None


@pytest.fixture
def web_account(stack: Stack) -> Callable[..., WebAccount]:
    """Makes an account in the running stack's database, with PASSWORD."""

    def make(
        email: str, name: str, role: Role, therapist_id: int | None = None, share: bool = False
    ) -> WebAccount:
        with session_scope(stack.settings.app_database_url) as session:
            user = add_user(
                session,
                email,
                name,
                role,
                PASSWORD_HASH,
                therapist_id=therapist_id,
                share_by_default=share,
            )
            return WebAccount(user.email, name, role, user.client_id, user.therapist_id)

    return make


@pytest.fixture
def open_context(chromium: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """New browser contexts (each its own cookies); bypass_csp lets axe-core be injected."""
    made: list[BrowserContext] = []

    def make(viewport: dict[str, int] = DESKTOP) -> BrowserContext:
        context = chromium.new_context(viewport=viewport, bypass_csp=True, accept_downloads=True)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def app_url(stack: Stack, path: str) -> str:
    return f"{stack.settings.entry_url}/app{path}"


def sign_in(page: Page, stack: Stack, account: WebAccount) -> None:
    """Signs in with the keyboard alone: tab to each field, type, press Enter."""
    page.goto(app_url(stack, "/login"))
    page.keyboard.press("Tab")  # the skip link
    tab_to(page, "#email")
    page.keyboard.type(account.email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def _tab_until(page: Page, found: str, argument: str, most: int = 80) -> None:
    for _ in range(most):
        if page.evaluate(found, argument):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{argument!r} cannot be reached with Tab on {page.url}")


def tab_to(page: Page, selector: str) -> None:
    """Presses Tab until `selector` has the focus; fails if the keyboard cannot reach it."""
    _tab_until(page, "(s) => document.activeElement === document.querySelector(s)", selector)


def tab_to_control(page: Page, text: str) -> None:
    """Presses Tab until a button or link reading `text` has the focus."""
    _tab_until(page, "(t) => document.activeElement.textContent.trim() === t", text)


def serious_violations(page: Page) -> list[dict[str, object]]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACT
    ]


def fits_a_phone(page: Page) -> bool:
    """Whether the page, at the phone viewport, needs no sideways scrolling."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def check_page(page: Page, name: str) -> None:
    """Screenshots (desktop and phone), the phone layout, and axe-core on the page."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    found = serious_violations(page)
    assert not found, f"{name}: {json.dumps(found, indent=1)}"
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        assert fits_a_phone(page), f"{name} scrolls sideways on a phone"
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
        assert not serious_violations(page), name
    finally:
        if size:
            page.set_viewport_size(size)


SENSES = ["the green lamp", "rain on the window", "wool socks", "toast", "lemon soap"]
# The check-in and the offer, as in tests/stack/test_journeys.py: a low rating offers grounding.
CHECK_IN = ["hi", "2", "shaky"]
GROUNDING_YES = "Yes, let's try"


def say(page: Page, text: str) -> None:
    """Types a message and sends it with the keyboard; waits for the page with the answer."""
    tab_to(page, "#text")
    page.keyboard.type(text)
    tab_to(page, "form.send button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press(page: Page, text: str) -> None:
    """Reaches a button or link with Tab and presses Enter; waits for the next page."""
    tab_to_control(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def grounding(page: Page) -> None:
    """Check-in at a low rating, then the five senses, all through the web chat."""
    for text in CHECK_IN:
        say(page, text)
    press(page, GROUNDING_YES)
    for sense in SENSES:
        say(page, sense)
    page.get_by_text("You noticed: " + "; ".join(SENSES)).wait_for()
