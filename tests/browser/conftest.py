"""Playwright fixtures: Debian's Chromium, on a phone-sized page, against the live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from conftest import replay_data_migrations

# Playwright's sync API runs an event loop in the test's thread; the test still talks to the
# database synchronously (loading the demo), which Django refuses without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHROMIUM_MISSING = (
    "Chromium is not installed (/usr/bin/chromium): run 'make test' as root to install it"
)
PHONE_VIEWPORT = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        if os.environ.get("CHIBO_REQUIRE_BROWSER") == "1":
            pytest.fail(CHROMIUM_MISSING)
        pytest.skip(CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A page the size of a common phone, with touch, in Vietnamese."""
    context = browser.new_context(
        viewport=PHONE_VIEWPORT,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Chromium reports what the Content-Security-Policy refused on the console: an inline style
    # or script that slipped into a template would otherwise fail silently for users.
    refused: list[str] = []

    def note_refusal(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note_refusal)
    yield page
    context.close()
    assert not refused, f"the page broke its Content-Security-Policy: {refused}"


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def migration_data(transactional_db: None) -> None:
    """Put back what the data migrations wrote (org kinds, default criteria): a transactional
    test before this one flushed it. Data migrations are safe to rerun (see the style guide).

    Every browser test runs against the live server, so every one is transactional and may
    follow another that flushed the database: the fixture applies to all of them."""
    replay_data_migrations()
