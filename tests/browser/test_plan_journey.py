import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from chibo.demo.tamduong import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser

DESIGNATED_CELLS = ("Chi bộ phòng Kinh tế và Hạ tầng", "Chi bộ Ban quản lý rừng phòng hộ")


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways: a phone page must not scroll horizontally.

    Compared with the viewport asked for: a mobile browser widens its layout to fit wide content.
    """
    viewport = page.viewport_size
    assert viewport is not None
    return bool(page.evaluate("document.documentElement.scrollWidth") <= viewport["width"])


def test_organization_officer_reads_the_plan_and_finds_the_district_on_a_phone(
    live_server: LiveServer, transactional_db: None, phone: Page, artifacts: Path
) -> None:
    load_demo()
    failed: list[str] = []

    def record_failure(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    phone.on("response", record_failure)

    phone.goto(live_server.url + "/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    phone.screenshot(path=artifacts / "01-login.png", full_page=True)
    phone.locator('input[name="username"]').fill("bantochuc")
    phone.locator('input[name="password"]').fill(DEMO_PASSWORD)
    phone.locator('main form button[type="submit"]').click()

    expect(phone).to_have_url(re.compile(r"/plans/$"))
    plan_link = phone.get_by_test_id("plan-list").locator("a", has_text="332-KH/HU")
    expect(plan_link).to_be_visible()
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "02-plan-list.png", full_page=True)

    plan_link.click()
    expect(phone).to_have_url(re.compile(r"/plans/\d+/$"))
    targets = phone.get_by_test_id("plan-targets")
    for cell in DESIGNATED_CELLS:
        expect(targets).to_contain_text(cell)
    expect(phone.get_by_test_id("plan-deadlines")).to_contain_text("trước ngày 20/02/2025")
    document = phone.get_by_test_id("plan-document")
    expect(document).to_contain_text("HUYỆN ỦY TAM ĐƯỜNG")
    expect(document).to_contain_text("Số 332-KH/HU")
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "03-plan-detail.png", full_page=True)
    document.scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "04-plan-document.png")

    phone.locator("button.navbar-toggler").click()
    phone.locator('#main-nav a[href$="/orgs/"]').click()
    expect(phone).to_have_url(re.compile(r"/orgs/$"))
    expect(phone.get_by_test_id("org-outline")).to_be_visible()
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "05-org-tree.png", full_page=True)

    # The outline is paginated (the demo has more organizations than a page holds); page links
    # swap only the results through htmx, and the address follows.
    phone.evaluate("window.chiboSamePage = true")
    phone.locator('#org-results a[rel="next"]').click()
    expect(phone).to_have_url(re.compile(r"/orgs/\?page=2$"))
    expect(phone.get_by_test_id("org-outline")).to_be_visible()
    assert phone.evaluate("window.chiboSamePage === true")

    # Typing searches through htmx: the results change and the address follows, no reload.
    phone.locator("#org-search").press_sequentially("tam duong", delay=40)
    results = phone.get_by_test_id("org-search-results")
    expect(results).to_contain_text("Đảng bộ huyện Tam Đường")
    expect(phone).to_have_url(re.compile(r"/orgs/\?q=tam(\+|%20)duong"))
    assert phone.evaluate("window.chiboSamePage === true")
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "06-org-search.png", full_page=True)

    results.locator("a", has_text="Đảng bộ huyện Tam Đường").first.click()
    expect(phone.locator("h1")).to_have_text("Đảng bộ huyện Tam Đường")
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "07-org-detail.png", full_page=True)

    assert failed == []
