# ruff: noqa: E501  (the exact Vietnamese messages read best one a line)
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.orgs.models import Organization, Position
from chibo.workbook.tests.conftest import NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS
from chibo.workbook.tests.helpers import tree_state, workbook_bytes
from conftest import World

pytestmark = pytest.mark.django_db

API = "/api/v1"


def client_for(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def upload(client: Client, content: bytes, dry_run: str) -> tuple[int, dict[str, object]]:
    file = io.BytesIO(content)
    file.name = "so-lieu.xlsx"
    response = client.post(f"{API}/imports", {"file": file, "dry_run": dry_run})
    return response.status_code, response.json()


def test_dry_run_then_import_then_the_tree_and_posts_are_in_the_api(world: World) -> None:
    client = client_for(world.officer)
    content = workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS)
    status, body = upload(client, content, "true")
    assert status == 200
    assert body == {
        "created": {"Tổ chức": 3, "Đảng viên": 3, "Chức vụ": 3},
        "updated": {"Tổ chức": 0, "Đảng viên": 0, "Chức vụ": 0},
        "unchanged": {"Tổ chức": 0, "Đảng viên": 0, "Chức vụ": 0},
        "errors": [],
        "dry_run": True,
        "imported": False,
    }
    assert not Organization.objects.filter(code="CC").exists()
    status, body = upload(client, content, "false")
    assert status == 200
    assert body["imported"] is True
    commune = Organization.objects.get(code="CC")
    detail = client.get(f"{API}/orgs/{commune.pk}").json()
    assert detail["code"] == "CC"
    assert sorted(child["code"] for child in detail["children"]) == ["CC-1", "CC-2"]
    listed = client.get(f"{API}/orgs", {"search": "xa cat"}).json()
    assert [org["code"] for org in listed["items"]] == ["CC"]
    assert Position.objects.filter(organization=commune, role="bi_thu").count() == 1


def test_errors_answer_422_with_every_error_and_nothing_changes(world: World) -> None:
    before = tree_state()
    orgs = [("X1", "NOPE", "Một", "Đảng bộ cơ sở"), ("X2", "D", "Hai", "Đảng bộ phường")]
    status, body = upload(client_for(world.officer), workbook_bytes(orgs), "false")
    assert status == 422
    assert body["imported"] is False
    assert body["errors"] == [
        {
            "sheet": "Tổ chức",
            "row": 2,
            "column": "Mã cấp trên",
            "value": "NOPE",
            "message": "Không có tổ chức nào mang mã này, trong sổ tính hay trong chibo.",
        },
        {
            "sheet": "Tổ chức",
            "row": 3,
            "column": "Loại",
            "value": "Đảng bộ phường",
            "message": body["errors"][1]["message"],  # type: ignore[index]
        },
    ]
    assert tree_state() == before


def test_a_file_that_is_no_workbook_answers_422_with_one_message(world: World) -> None:
    status, body = upload(client_for(world.officer), b"not a workbook", "true")
    assert status == 422
    assert body["errors"] == [
        {
            "sheet": "",
            "row": None,
            "column": "",
            "value": "",
            "message": "Tệp này không phải là sổ tính Excel (.xlsx). Hãy lưu thành .xlsx rồi thử lại.",
        }
    ]


def test_a_user_who_manages_nothing_gets_403(world: World) -> None:
    status, body = upload(client_for(world.cell_secretary), workbook_bytes(NEW_COMMUNE), "false")
    assert status == 403
    assert body == {"message": "Bạn không quản lý phần nào của cây tổ chức."}


def test_anonymous_requests_are_refused(world: World) -> None:
    file = io.BytesIO(workbook_bytes(NEW_COMMUNE))
    file.name = "x.xlsx"
    assert Client().post(f"{API}/imports", {"file": file}).status_code == 401


def test_export_of_a_subtree_in_scope(world: World) -> None:
    response = client_for(world.commune_secretary).get(
        f"{API}/orgs/{world.commune_a.pk}/export.xlsx"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="to-chuc-CA.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    codes = [row[0] for row in workbook["Tổ chức"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["CA", "CA-1"]


def test_export_outside_scope_is_404(world: World) -> None:
    response = client_for(world.outsider).get(f"{API}/orgs/{world.commune_a.pk}/export.xlsx")
    assert response.status_code == 404
