# ruff: noqa: E501  (rows of a workbook read best one a line)
"""Import on a phone: the Organization Board downloads the template, uploads a workbook with a new
commune, its cells, members and posts, reads the dry run, confirms, and finds the commune in the
tree; a broken workbook gets its errors listed and changes nothing."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from chibo.demo.tamduong import DEMO_PASSWORD, DISTRICT_CODE, load_demo
from chibo.orgs.models import Organization, Person, Position
from chibo.workbook.tests.helpers import tree_state, workbook_bytes

pytestmark = pytest.mark.browser

ORGS = [
    ("TD-CAT", DISTRICT_CODE, "Đảng bộ xã Cát Tiên", "Đảng bộ cơ sở", "Đảng ủy xã Cát Tiên", "ĐU", "01/03/2025", None),
    ("TD-CAT-1", "TD-CAT", "Chi bộ thôn Cát Một", "Chi bộ trực thuộc", None, "CB", "01/03/2025", None),
]  # fmt: skip
MEMBERS = [
    ("TD-DV-901", "Lò Văn Phóng", "Nam", 1978, "0912000901", None, "TD-CAT-1", "chính thức", "không"),
    ("TD-DV-902", "Tẩn Thị Mai", "Nữ", 1990, None, None, "TD-CAT-1", "dự bị", "không"),
]  # fmt: skip
POSITIONS = [("TD-DV-901", "TD-CAT", "Ban Chấp hành", "Bí thư", "01/03/2025", None)]


def fits_the_screen(page: Page) -> bool:
    viewport = page.viewport_size
    assert viewport is not None
    return bool(page.evaluate("document.documentElement.scrollWidth") <= viewport["width"])


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.locator('main form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/plans/$"))


def upload(page: Page, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    page.get_by_test_id("upload-form").locator('input[type="file"]').set_input_files(str(path))
    page.get_by_test_id("upload-submit").click()


def test_upload_dry_run_confirm_on_a_phone(
    live_server: LiveServer, migration_data: None, phone: Page, artifacts: Path, tmp_path: Path
) -> None:
    load_demo()
    failed: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 500:
            failed.append(f"{response.status} {response.url}")

    phone.on("response", record)
    base = live_server.url
    log_in(phone, base, "bantochuc")
    phone.locator(".navbar-toggler").click()
    phone.get_by_test_id("nav-import").click()
    expect(phone.locator("h1")).to_have_text("Nhập dữ liệu từ Excel")
    with phone.expect_download() as download_info:
        phone.get_by_test_id("template-download").click()
    template = tmp_path / "mau.xlsx"
    download_info.value.save_as(template)
    assert template.read_bytes().startswith(b"PK")
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "import-1-page.png", full_page=True)

    # A broken workbook: every error listed, nothing written.
    before = tree_state()
    broken = [("TD-X", "NOPE", "Đảng bộ X", "Đảng bộ phường")]
    upload(phone, tmp_path, "loi.xlsx", workbook_bytes(broken))
    errors = phone.get_by_test_id("import-errors")
    expect(errors.locator("tbody tr")).to_have_count(2)
    expect(errors).to_contain_text("Không có tổ chức nào mang mã này")
    expect(phone.get_by_test_id("import-confirm")).to_have_count(0)
    assert tree_state() == before
    phone.screenshot(path=artifacts / "import-2-errors.png", full_page=True)

    # The new commune: the dry run counts it, the confirmation writes it.
    phone.goto(base + "/imports/")
    upload(phone, tmp_path, "xa-cat-tien.xlsx", workbook_bytes(ORGS, MEMBERS, POSITIONS))
    expect(phone.get_by_test_id("import-status-label")).to_have_text("Đã kiểm tra, sẵn sàng nhập")
    counts = phone.get_by_test_id("import-counts")
    expect(counts.locator("tbody tr").first).to_contain_text("Tổ chức")
    expect(counts.locator("tbody tr").first.locator("td").first).to_have_text("2")
    assert fits_the_screen(phone)
    phone.screenshot(path=artifacts / "import-3-dry-run.png", full_page=True)
    assert not Organization.objects.filter(code="TD-CAT").exists()
    phone.get_by_test_id("import-confirm").click()
    expect(phone.get_by_test_id("import-done")).to_be_visible()
    phone.screenshot(path=artifacts / "import-4-done.png", full_page=True)

    commune = Organization.objects.get(code="TD-CAT")
    assert Person.objects.filter(home_cell__code="TD-CAT-1").count() == 2
    assert Position.objects.filter(organization=commune, role="bi_thu").count() == 1
    phone.get_by_test_id("import-see-tree").click()
    expect(phone).to_have_url(re.compile(r"/orgs/$"))
    phone.goto(base + f"/orgs/{commune.pk}/")
    expect(phone.locator("h1")).to_have_text("Đảng bộ xã Cát Tiên")
    expect(phone.locator("main")).to_contain_text("Lò Văn Phóng")
    expect(phone.get_by_test_id("org-export")).to_be_visible()
    assert failed == []


def test_workbook_bytes_is_a_real_workbook() -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(workbook_bytes(ORGS)))
    assert workbook.sheetnames == ["Tổ chức", "Đảng viên", "Chức vụ"]
