"""The registration workflow on phones: the Organization Board copies and issues a plan, a commune
secretary registers two cells and sends them, the Board returns, then accepts the list."""

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from chibo.core.dates import LOCAL_TZ
from chibo.demo.tamduong import DEMO_PASSWORD, load_demo
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organization
from chibo.plans import services as plan_services
from chibo.plans.models import MeetingType, Plan, Registration, RegistrationItem
from tests.browser.conftest import PHONE_VIEWPORT

pytestmark = pytest.mark.browser

BAN_BO = "TD-BANBO"
REGULAR_CELL = "Chi bộ bản Nà Đon"
THEMATIC_CELL = "Chi bộ bản Nà Bỏ"
RETURN_COMMENT = "Đề nghị chuyển buổi chuyên đề sang buổi chiều để Tổ theo dõi của huyện dự."
# Before the copy's deadline (20/02/2027), so the first send is on time whenever the suite runs.
TODAY = dt.datetime(2027, 1, 15, 9, 0, tzinfo=LOCAL_TZ)


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways: a phone page must not scroll horizontally."""
    viewport = page.viewport_size
    assert viewport is not None
    return bool(page.evaluate("document.documentElement.scrollWidth") <= viewport["width"])


def vi(message: Any, **values: object) -> str:
    """A message as the Vietnamese page shows it (English until the catalogue has it)."""
    with translation.override("vi"):
        text = str(message)
        return text.format(**values) if values else text


def vi_template(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


@pytest.fixture
def frozen_clock(settings: Any) -> Iterator[None]:
    """The server's clock at TODAY. Cookies last as long as the browser, not up to a date the
    real clock may already have passed."""
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def second_phone(browser: Browser) -> Iterator[Page]:
    """Another person's phone, beside the `phone` fixture's."""
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
    yield page
    context.close()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/plans/$"))


def fill_row(page: Page, index: int, **values: str) -> None:
    row = page.get_by_test_id("registration-row").nth(index)
    if "cell" in values:
        row.locator("select[name$='-cell']").select_option(label=values["cell"])
    if "meeting_type" in values:
        row.locator("select[name$='-meeting_type']").select_option(values["meeting_type"])
    for name in ("day", "time", "venue"):
        if name in values:
            row.locator(f"input[name$='-{name}']").fill(values[name])


def snap(page: Page, path: Path, *, full_page: bool = True) -> None:
    assert fits_the_screen(page), f"{path.name} scrolls sideways"
    page.screenshot(path=path, full_page=full_page)


def test_copy_issue_register_return_and_accept_on_phones(
    live_server: LiveServer,
    migration_data: None,
    frozen_clock: None,
    phone: Page,
    second_phone: Page,
    artifacts: Path,
) -> None:
    load_demo()
    base = live_server.url
    failed: list[str] = []

    def record_failure(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    board, secretary = phone, second_phone
    board.on("response", record_failure)
    secretary.on("response", record_failure)

    # (a) The Organization Board copies 332-KH/HU to 2027 and issues the copy.
    log_in(board, base, "bantochuc")
    board.get_by_test_id("plan-list").locator("a", has_text="332-KH/HU").first.click()
    actions = board.get_by_test_id("plan-actions")
    expect(actions.get_by_test_id("copy-form")).to_be_visible()
    snap(board, artifacts / "registration-01-plan-actions.png", full_page=False)
    actions.locator('input[name="year"]').fill("2027")
    actions.get_by_test_id("copy-button").click()

    expect(board.locator("h1")).to_contain_text("332-KH/HU")
    copy = Plan.objects.get(year=2027)
    expect(board).to_have_url(re.compile(rf"/plans/{copy.pk}/$"))
    expect(board.locator(".alert-success")).to_contain_text("2027")
    board.get_by_test_id("issue-button").click()
    dialog = board.locator("#issue-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_css("opacity", "1")  # faded in: the screenshot shows it whole
    snap(board, artifacts / "registration-02-issue-dialog.png", full_page=False)
    dialog.get_by_test_id("issue-confirm").click()
    expect(board.locator(".alert-success")).to_be_visible()
    expect(board.get_by_test_id("progress-link")).to_be_visible()
    expect(board.get_by_test_id("issue-button")).to_have_count(0)
    copy.refresh_from_db()
    assert copy.status == Plan.Status.ISSUED

    # (b) The secretary of Bản Bo opens the copy and registers two of the commune's cells.
    log_in(secretary, base, "bithu-ban-bo")
    secretary.get_by_test_id("plan-list").locator("a", has_text="2027").click()
    obligation_row = secretary.locator(f'[data-testid="obligation-row"][data-org="{BAN_BO}"]')
    expect(obligation_row).to_contain_text("20/02/2027")
    snap(secretary, artifacts / "registration-03-secretary-plan.png", full_page=False)
    obligation_row.get_by_test_id("registration-link").click()
    expect(secretary.get_by_test_id("registration-row")).to_have_count(2)

    # First an invalid list: a cell of Bình Lư slipped into the form, both meetings regular,
    # the second in April. The server refuses all of it, with every reason.
    binh_lu_cell = Organization.objects.filter(
        parent__name="Đảng bộ xã Bình Lư", kind__is_cell=True
    ).first()
    assert binh_lu_cell is not None
    secretary.evaluate(
        "([id, name]) => document.querySelector(\"select[name='items-0-cell']\")"
        ".add(new Option(name, id))",
        [str(binh_lu_cell.pk), binh_lu_cell.name],
    )
    fill_row(
        secretary, 0, cell=binh_lu_cell.name, day="2027-03-10", time="08:00", venue="Nhà văn hóa"
    )
    fill_row(
        secretary,
        1,
        cell=THEMATIC_CELL,
        meeting_type="regular",
        day="2027-04-02",
        time="14:00",
        venue="Hội trường Đảng ủy xã Bản Bo",
    )
    # The date picker itself keeps to the window; past it (a form tampered with, as the cell
    # above), the server still refuses.
    april = "input[name='items-1-day']"
    assert secretary.eval_on_selector(april, "input => input.validity.rangeOverflow")
    secretary.eval_on_selector(
        april, "input => { input.removeAttribute('min'); input.removeAttribute('max'); }"
    )
    secretary.get_by_test_id("save-button").click()
    problems = secretary.get_by_test_id("registration-problems")
    expect(problems).to_contain_text(
        vi(
            plan_services.REGISTRATION_DATE_OUTSIDE,
            cell=THEMATIC_CELL,
            day="02/04/2027",
            start="01/03/2027",
            end="31/03/2027",
        )
    )
    expect(problems).to_contain_text(
        vi(
            plan_services.REGISTRATION_CELL_NOT_OWN,
            cell=vi(plan_services.REGISTRATION_CELL_BY_ID, id=binh_lu_cell.pk),
            org="Đảng bộ xã Bản Bo",
        )
    )
    labels = ", ".join(
        vi(kind.label).lower() for kind in (MeetingType.REGULAR, MeetingType.THEMATIC)
    )
    expect(problems).to_contain_text(vi(plan_services.REGISTRATION_TYPES, types=labels))
    assert not RegistrationItem.objects.filter(registration__obligation__target__plan=copy).exists()
    assert not Registration.objects.filter(obligation__target__plan=copy).exists()
    second_row = secretary.get_by_test_id("registration-row").nth(1)
    expect(second_row.locator("input[name$='-day']")).to_have_value("2027-04-02")
    expect(second_row.locator("input[name$='-venue']")).to_have_value(
        "Hội trường Đảng ủy xã Bản Bo"
    )
    expect(secretary.get_by_test_id("send-card")).to_have_count(0)
    snap(secretary, artifacts / "registration-04-refused.png")

    fill_row(secretary, 0, cell=REGULAR_CELL, meeting_type="regular")
    fill_row(secretary, 1, meeting_type="thematic", day="2027-03-24")
    secretary.get_by_test_id("save-button").click()
    expect(secretary.locator(".alert-success")).to_be_visible()
    expect(secretary.get_by_test_id("registration-problems")).to_have_count(0)
    snap(secretary, artifacts / "registration-05-saved.png")
    secretary.get_by_test_id("send-button").click()
    expect(secretary.get_by_test_id("registration-form")).to_have_count(0)
    expect(secretary.get_by_test_id("registration-items")).to_contain_text(THEMATIC_CELL)
    snap(secretary, artifacts / "registration-06-sent.png")
    registration = Registration.objects.get(obligation__target__plan=copy)
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.on_time is True

    # (c) The Board sees Bản Bo as sent on time, returns the list, then accepts the correction.
    board.get_by_test_id("progress-link").click()
    dashboard_row = board.locator(f'tr[data-org="{BAN_BO}"]')
    expect(dashboard_row).to_contain_text(vi_template("Sent"))
    expect(dashboard_row).to_contain_text(vi_template("on time"))
    snap(board, artifacts / "registration-07-dashboard.png")
    dashboard_row.get_by_test_id("registration-detail-link").click()
    review = board.get_by_test_id("review-card")
    review.locator("textarea").fill(RETURN_COMMENT)
    review.get_by_test_id("return-button").click()
    expect(board.get_by_test_id("review-comment")).to_contain_text(RETURN_COMMENT)
    expect(board.get_by_test_id("review-card")).to_have_count(0)

    secretary.reload()
    expect(secretary.get_by_test_id("review-comment")).to_contain_text(RETURN_COMMENT)
    snap(secretary, artifacts / "registration-08-returned.png")
    fill_row(secretary, 1, time="15:00")
    secretary.get_by_test_id("save-button").click()
    expect(secretary.locator(".alert-success")).to_be_visible()
    secretary.get_by_test_id("send-button").click()
    expect(secretary.get_by_test_id("registration-form")).to_have_count(0)

    board.reload()
    board.get_by_test_id("review-card").get_by_test_id("accept-button").click()
    expect(board.get_by_test_id("review-card")).to_have_count(0)
    history = board.get_by_test_id("registration-history")
    expect(history.get_by_test_id("registration-version")).to_have_count(4)
    expect(history).to_contain_text(RETURN_COMMENT)
    snap(board, artifacts / "registration-09-accepted.png")

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    meetings = Meeting.objects.filter(obligation=registration.obligation).order_by("starts_at")
    scheduled = Meeting.Status.SCHEDULED
    assert [(m.cell.name, m.meeting_type, m.status, m.starts_at) for m in meetings] == [
        (REGULAR_CELL, "regular", scheduled, dt.datetime(2027, 3, 10, 8, 0, tzinfo=LOCAL_TZ)),
        (THEMATIC_CELL, "thematic", scheduled, dt.datetime(2027, 3, 24, 15, 0, tzinfo=LOCAL_TZ)),
    ]
    assert failed == []
