"""Model meetings on phones: the Organization Board marks attendance in a few taps, and an
observer writes an evaluation and sees the rating it gives."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from chibo.demo.tamduong import DEMO_PASSWORD, load_demo
from chibo.documents.tests.helpers import docx_text
from chibo.meetings import selectors
from chibo.meetings.models import Evaluation, Meeting
from chibo.orgs.models import Person

pytestmark = pytest.mark.browser

KT_HT = "Chi bộ phòng Kinh tế và Hạ tầng"
FOREST = "Chi bộ Ban quản lý rừng phòng hộ"
OBSERVER = "bantochuc"  # Ban Tổ chức Huyện ủy: organizes the district's model meetings, observes
SCORES = {
    "attendance": ("18", "Đủ số đảng viên, một đồng chí vắng có lý do."),
    "preparation": ("16", "Tài liệu chuyên đề gửi muộn."),
    "conduct": ("17", "Thảo luận sôi nổi."),
    "principles": ("19", "Đúng nguyên tắc."),
    "follow_up": ("15", "Cần phân công cụ thể hơn."),
}


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways: a phone page must not scroll horizontally."""
    viewport = page.viewport_size
    assert viewport is not None
    return bool(page.evaluate("document.documentElement.scrollWidth") <= viewport["width"])


def snap(page: Page, path: Path, *, full_page: bool = True) -> None:
    assert fits_the_screen(page), f"{path.name} scrolls sideways"
    page.screenshot(path=path, full_page=full_page)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/plans/$"))


def watch_failures(page: Page) -> list[str]:
    failed: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", record)
    return failed


def model_meeting(cell_name: str) -> Meeting:
    return Meeting.objects.get(cell__name=cell_name, is_model=True, target__plan__number=332)


def counts_text(page: Page) -> str:
    return page.get_by_test_id("attendance-summary").inner_text()


def test_attendance_in_three_taps_on_a_phone(
    live_server: LiveServer, migration_data: None, phone: Page, artifacts: Path
) -> None:
    load_demo()
    meeting = model_meeting(KT_HT)
    failed = watch_failures(phone)
    log_in(phone, live_server.url, OBSERVER)

    phone.locator("button.navbar-toggler").click()
    phone.locator('#main-nav a[href$="/meetings/"]').click()
    phone.get_by_test_id("meeting-list").locator("a", has_text=KT_HT).first.click()
    expect(phone.locator("h1")).to_have_text(KT_HT)
    snap(phone, artifacts / "meeting-01-detail.png")

    # The letters come from the page's "Tải về" menu, one invitee a page.
    menu = phone.get_by_test_id("meeting-downloads")
    menu.get_by_role("button").first.click()
    letters = menu.locator(f'a[href="/documents/meetings/{meeting.pk}/invitations.docx"]')
    with phone.expect_download() as download_info:
        letters.click()
    download = download_info.value
    assert download.suggested_filename == "giay-moi-chi-bo-phong-kinh-te-va-ha-tang-2025-03-12.docx"
    path = download.path()
    text = docx_text(Path(path).read_bytes())
    for invitee in meeting.invitees.filter(removed=False).select_related("person"):
        assert f"Đồng chí: {invitee.person.full_name}" in text
    phone.keyboard.press("Escape")

    phone.get_by_test_id("attendance-link").click()
    expect(phone).to_have_url(re.compile(rf"/meetings/{meeting.pk}/attendance/$"))
    snap(phone, artifacts / "meeting-02-attendance.png", full_page=False)

    # Every tap saves one mark through htmx: the row and the counts change, the page stays.
    phone.evaluate("window.chiboSamePage = true")
    voters = Person.objects.filter(
        home_cell=meeting.cell, membership=Person.Membership.FULL, exempt=False
    ).order_by("sort_key")[:3]
    for person, status in zip(voters, ["absent", "excused", "present"], strict=True):
        before = counts_text(phone)
        row = phone.locator(f"#attendance-{person.pk}")
        row.locator(f'label[data-status="{status}"]').tap()
        expect(row.locator(f'input[value="{status}"]')).to_be_checked()
        if status != "present":  # everyone was present in the demo: this one changes nothing
            expect(phone.get_by_test_id("attendance-summary")).not_to_have_text(before)
    assert phone.evaluate("window.chiboSamePage === true")

    summary = selectors.attendance_summary(meeting=meeting)
    assert summary.unexcused == 1
    counts = phone.get_by_test_id("attendance-summary")
    expect(counts.get_by_test_id("count-present")).to_contain_text(str(summary.present))
    expect(counts.get_by_test_id("count-unexcused")).to_contain_text("1")
    expect(counts.get_by_test_id("attendance-flags")).to_be_visible()
    excused_row = phone.locator(f"#attendance-{voters[1].pk}")
    expect(excused_row.get_by_test_id("attendance-note")).to_be_visible()
    snap(phone, artifacts / "meeting-03-attendance-tapped.png", full_page=False)
    snap(phone, artifacts / "meeting-04-attendance-full.png")

    # The minutes show the same counts beside their form.
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/minutes/")
    expect(phone.get_by_test_id("minutes-form")).to_be_visible()
    expect(phone.get_by_test_id("count-unexcused")).to_contain_text("1")
    snap(phone, artifacts / "meeting-05-minutes.png")
    assert failed == []


def test_observer_writes_an_evaluation_on_a_phone(
    live_server: LiveServer, migration_data: None, phone: Page, artifacts: Path
) -> None:
    load_demo()
    meeting = model_meeting(FOREST)
    failed = watch_failures(phone)
    log_in(phone, live_server.url, OBSERVER)

    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    evaluations = phone.get_by_test_id("evaluations")
    expect(evaluations.get_by_test_id("evaluation-row")).to_have_count(2)
    phone.get_by_test_id("evaluate-link").click()
    expect(phone).to_have_url(re.compile(rf"/meetings/{meeting.pk}/evaluate/$"))

    form = phone.get_by_test_id("evaluation-form")
    for code, (score, comment) in SCORES.items():
        block = form.locator(f'[data-testid="criterion"][data-code="{code}"]')
        block.locator(f'input[name="score_{code}"]').fill(score)
        block.locator(f'textarea[name="comment_{code}"]').fill(comment)
    form.locator('textarea[name="lessons"]').fill("Gửi dự thảo chuyên đề trước hai ngày.")
    snap(phone, artifacts / "meeting-06-evaluation-form.png")
    form.get_by_test_id("evaluation-save").click()

    result = phone.get_by_test_id("evaluation-result")
    expect(result).to_be_visible()
    evaluation = Evaluation.objects.get(meeting=meeting, observer__user__username=OBSERVER)
    assert evaluation.total == sum(int(score) for score, _comment in SCORES.values())
    expect(result.get_by_test_id("evaluation-rating")).to_have_text(evaluation.rating.name)
    expect(result.get_by_test_id("evaluation-total")).to_have_text(f"{evaluation.total}/100")
    expect(form.locator('input[name="score_conduct"]')).to_have_value("17")
    snap(phone, artifacts / "meeting-07-evaluation-saved.png", full_page=False)

    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(phone.get_by_test_id("evaluations").get_by_test_id("evaluation-row")).to_have_count(3)

    # The Board's lessons page lists every rating of the plan, this one included.
    phone.goto(f"{live_server.url}/plans/{meeting.target.plan_id}/")  # type: ignore[union-attr]
    phone.get_by_test_id("lessons-link").click()
    expect(phone.get_by_test_id("rating-row")).to_have_count(5)
    expect(phone.get_by_test_id("summary-form")).to_be_visible()
    snap(phone, artifacts / "meeting-08-lessons.png")
    assert failed == []
