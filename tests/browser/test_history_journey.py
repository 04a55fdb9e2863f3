"""History on a phone: the Organization Board opens an organization's history from its page and
reads what changed, then finds the change in the change log."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chibo.accounts.models import User
from chibo.orgs import services as org_services
from conftest import World

pytestmark = pytest.mark.browser

PASSWORD = "pw-123456"


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def fits_the_screen(page: Page) -> bool:
    viewport = page.viewport_size
    assert viewport is not None
    return bool(page.evaluate("document.documentElement.scrollWidth") <= viewport["width"])


def log_in(page: Page, base: str, user: User) -> None:
    page.goto(base + "/accounts/login/")
    page.locator('input[name="username"]').fill(user.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(f"{base}/plans/")


def test_board_reads_an_organization_history_on_a_phone(
    live_server: LiveServer, world: World, phone: Page, artifacts: Path
) -> None:
    org_services.org_update(
        actor=world.officer,
        organization=world.commune_a,
        name="Đảng bộ xã An Hòa",
        valid_from=dt.date(2025, 1, 15),
    )
    log_in(phone, live_server.url, world.officer)
    phone.goto(f"{live_server.url}/orgs/{world.commune_a.pk}/")
    phone.get_by_test_id("history-link").click()
    expect(phone.locator("h1")).to_have_text(vi("History"))
    change = phone.locator('[data-testid="history-entry"][data-change="~"]')
    expect(change).to_contain_text("Đảng bộ xã An")
    expect(change).to_contain_text("Đảng bộ xã An Hòa")
    expect(change).to_contain_text("15/01/2025")
    assert fits_the_screen(phone)
    phone.screenshot(path=str(artifacts / "history-org.png"), full_page=True)

    phone.locator(".navbar-toggler").click()
    phone.get_by_test_id("nav-audit").click()
    expect(phone.locator("h1")).to_have_text(vi("Change log"))
    expect(phone.get_by_test_id("history-list")).to_contain_text("Đảng bộ xã An Hòa")
    assert fits_the_screen(phone)
    phone.screenshot(path=str(artifacts / "history-audit.png"), full_page=True)
