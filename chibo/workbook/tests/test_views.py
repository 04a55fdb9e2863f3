# ruff: noqa: E501  (the exact Vietnamese messages read best one a line)
import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.fixtures import Settings

from chibo.accounts.models import User
from chibo.core.dates import local_today
from chibo.orgs.models import Organization, Person, Position
from chibo.workbook.models import ImportRecord
from chibo.workbook.tests.conftest import NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS
from chibo.workbook.tests.helpers import tree_state, workbook_bytes, xlsx_rows
from conftest import World

pytestmark = pytest.mark.django_db

PAGE = "/imports/"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, content: bytes, name: str = "xa-cat.xlsx") -> Any:
    file = SimpleUploadedFile(name, content)
    return client.post("/imports/upload/", {"file": file}, follow=True)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer", True),
        ("commune_secretary", True),
        ("cell_secretary", False),
        ("overseer", False),
    ],
)
def test_the_navigation_offers_import_to_those_who_manage_a_subtree(
    world: World, who: str, sees: bool
) -> None:
    client = client_for(getattr(world, who))
    page = client.get("/orgs/").content.decode()
    assert ('data-testid="nav-import"' in page) is sees
    assert "Nhập dữ liệu từ Excel" in page if sees else "Nhập dữ liệu từ Excel" not in page
    assert client.get(PAGE).status_code == (200 if sees else 404)


def test_template_download(world: World) -> None:
    response = client_for(world.officer).get("/imports/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-du-lieu-chibo.xlsx"'
    assert xlsx_rows(response.content, "Tổ chức")[0][0] == "Mã"


def test_upload_dry_run_then_confirm(world: World) -> None:
    client = client_for(world.officer)
    page = client.get(PAGE).content.decode()
    assert "Tải mẫu" in page
    response = upload(client, workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS))
    record = ImportRecord.objects.get()
    assert response.redirect_chain == [(f"/imports/{record.pk}/", 302)]
    page = response.content.decode()
    assert "Đã kiểm tra, sẵn sàng nhập" in page
    assert 'data-testid="import-confirm"' in page
    assert not Organization.objects.filter(code="CC").exists()
    assert (record.status, record.dry_run, bool(record.file)) == ("checked", True, True)

    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "Đã nhập. Toàn bộ sổ tính được ghi một lần." in page
    record.refresh_from_db()
    assert (record.status, record.dry_run) == ("imported", False)
    assert Organization.objects.filter(code__startswith="CC").count() == 3
    assert Person.objects.filter(code__startswith="DV-").count() == 3
    # Confirming twice imports nothing more.
    before = tree_state()
    response = client.post(f"/imports/{record.pk}/confirm/", follow=True)
    assert "Không thể nhập sổ tính này: hãy kiểm tra lại." in response.content.decode()
    assert tree_state() == before


def test_confirm_checks_the_file_again(world: World) -> None:
    client = client_for(world.officer)
    upload(client, workbook_bytes(NEW_COMMUNE))
    record = ImportRecord.objects.get()
    # Meanwhile someone else takes one of the codes for an organization outside the district.
    Organization.objects.filter(code="E").update(code="CC-EXISTS")
    Organization.objects.filter(code="CC-EXISTS").update(code="CC-1")
    before = tree_state()
    client.post(f"/imports/{record.pk}/confirm/")
    record.refresh_from_db()
    assert record.status == "invalid"
    # Taken outside what the officer can see: the code cannot be used, no more is said.
    assert record.errors[0]["message"] == "Không dùng được mã này: hãy chọn mã khác."
    assert tree_state() == before


def test_errors_are_listed_and_downloadable_as_xlsx(world: World) -> None:
    client = client_for(world.officer)
    orgs = [("X1", "NOPE", "Một", "Đảng bộ cơ sở"), ("X2", "D", "Hai", "Đảng bộ phường")]
    page = upload(client, workbook_bytes(orgs)).content.decode()
    assert "2 lỗi. Chưa ghi gì: hãy sửa sổ tính rồi tải lên lại." in page
    assert "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo." in page
    assert 'data-testid="import-confirm"' not in page
    record = ImportRecord.objects.get()
    response = client.get(f"/imports/{record.pk}/errors.xlsx")
    assert response.status_code == 200
    rows = xlsx_rows(response.content, "Tổ chức")
    assert rows[0][-1] == "Lỗi"
    assert (
        rows[1][-1]
        == "Mã cấp trên: Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo."
    )


def test_a_file_that_is_no_workbook_gets_its_message_and_a_report(world: World) -> None:
    client = client_for(world.officer)
    page = upload(client, b"not a workbook", "notes.txt").content.decode()
    assert "Tệp này không phải là sổ tính Excel (.xlsx)." in page
    record = ImportRecord.objects.get()
    rows = xlsx_rows(client.get(f"/imports/{record.pk}/errors.xlsx").content, "Lỗi")
    assert rows[0] == ("Trang", "Dòng", "Cột", "Giá trị", "Lỗi")
    assert rows[1][-1].startswith("Tệp này không phải là sổ tính Excel")


def test_the_error_report_is_in_the_uploaders_language(world: World) -> None:
    client = client_for(world.officer)
    client.cookies["django_language"] = "en"
    upload(client, b"not a workbook", "notes.txt")
    record = ImportRecord.objects.get()
    assert record.language == "en"
    client.cookies["django_language"] = "vi"
    rows = xlsx_rows(client.get(f"/imports/{record.pk}/errors.xlsx").content, "Lỗi")
    assert rows[0] == ("Sheet", "Row", "Column", "Value", "Lỗi")
    assert rows[1][-1].startswith("This file is not an Excel workbook (.xlsx).")


def test_an_error_names_its_row_in_the_pages_language(world: World) -> None:
    client = client_for(world.officer)
    client.cookies["django_language"] = "en"
    orgs = [("X1", "NOPE", "Một", "Đảng bộ cơ sở")]
    page = upload(client, workbook_bytes(orgs)).content.decode()
    assert '<div class="text-nowrap text-body-secondary">Row 2</div>' in page


def test_big_files_go_through_the_worker_with_a_progress_bar(
    world: World, settings: Settings, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHIBO_IMPORT_BACKGROUND_KB = 0  # every file is "big"; the worker runs inline in tests
    client = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        upload(client, workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS))
    assert len(queued) == 1
    record = ImportRecord.objects.get()
    assert record.status == "checked"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(f"/imports/{record.pk}/confirm/")
    assert len(queued) == 1
    record.refresh_from_db()
    assert (record.status, record.progress) == ("imported", 100)
    # While running, the status fragment polls itself with htmx and shows the bar.
    ImportRecord.objects.filter(pk=record.pk).update(status="importing", progress=40)
    fragment = client.get(f"/imports/{record.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert 'aria-valuenow="40"' in fragment
    assert "<html" not in fragment


def test_an_import_is_its_uploaders_only(world: World) -> None:
    upload(client_for(world.officer), workbook_bytes(NEW_COMMUNE))
    record = ImportRecord.objects.get()
    other = client_for(world.commune_secretary)
    assert other.get(f"/imports/{record.pk}/").status_code == 404
    assert other.post(f"/imports/{record.pk}/confirm/").status_code == 404
    assert other.get(f"/imports/{record.pk}/errors.xlsx").status_code == 404


def test_the_organization_page_links_its_export(world: World) -> None:
    client = client_for(world.commune_secretary)
    page = client.get(f"/orgs/{world.commune_a.pk}/").content.decode()
    assert f'href="/imports/export/{world.commune_a.pk}.xlsx"' in page
    assert "Xuất Excel" in page
    response = client.get(f"/imports/export/{world.commune_a.pk}.xlsx")
    assert response.status_code == 200
    assert [row[0] for row in xlsx_rows(response.content, "Tổ chức")] == ["Mã", "CA", "CA-1"]
    assert (
        client_for(world.outsider).get(f"/imports/export/{world.commune_a.pk}.xlsx").status_code
        == 404
    )


def test_the_menu_entry_goes_with_the_post_on_the_next_page(world: World) -> None:
    client = client_for(world.officer)
    assert 'data-testid="nav-import"' in client.get("/orgs/").content.decode()
    yesterday = local_today() - dt.timedelta(days=1)
    Position.objects.filter(person=world.officer.person).update(end_on=yesterday)
    assert 'data-testid="nav-import"' not in client.get("/orgs/").content.decode()
    assert "chibo_can_import" not in client.session
