# ruff: noqa: E501  (the exact Vietnamese messages read best one a line)
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.orgs.models import Assignment, Body, Organization, Position
from chibo.orgs.tests.factories import PersonFactory, give_post
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


def test_without_the_flag_the_workbook_is_only_checked(world: World) -> None:
    file = io.BytesIO(workbook_bytes(NEW_COMMUNE, NEW_MEMBERS, NEW_POSITIONS))
    file.name = "so-lieu.xlsx"
    response = client_for(world.officer).post(f"{API}/imports", {"file": file})
    assert response.status_code == 200
    assert (response.json()["dry_run"], response.json()["imported"]) == (True, False)
    assert not Organization.objects.filter(code="CC").exists()


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


def test_a_user_who_may_import_nowhere_gets_404_like_the_page(world: World) -> None:
    client = client_for(world.cell_secretary)
    status, body = upload(client, workbook_bytes(NEW_COMMUNE), "false")
    assert status == 404
    assert body == {"message": "Không tìm thấy, hoặc bạn không có quyền xem."}


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


@pytest.mark.parametrize("who", ["cell_secretary", "cell_member", "team_member"])
def test_export_needs_the_right_to_import_there(world: World, who: str) -> None:
    """A workbook holds card numbers, phones, emails: reading the cell is not enough."""
    if who == "cell_member":
        user = User.objects.create_user(
            username="member", password="pw-123456", person=PersonFactory(home_cell=world.cell_a)
        )
    elif who == "team_member":
        team = Body.objects.create(organization=world.district, kind="to", name="Tổ công tác 1")
        person = PersonFactory(home_cell=world.district_cell)
        give_post(person, world.district, Position.Role.TEAM_MEMBER, team)
        Assignment.objects.create(organization=world.cell_a, kind="follows", team=team)
        user = User.objects.create_user(username="team", password="pw-123456", person=person)
    else:
        user = world.cell_secretary
    response = client_for(user).get(f"{API}/orgs/{world.cell_a.pk}/export.xlsx")
    assert response.status_code == 404
    assert response.json() == {"message": "Không tìm thấy, hoặc bạn không có quyền xem."}
    page = Client()
    page.force_login(user)
    detail = page.get(f"/orgs/{world.cell_a.pk}/")
    assert detail.status_code == 200  # they can read the cell
    assert 'data-testid="org-export"' not in detail.content.decode()
    assert page.get(f"/imports/export/{world.cell_a.pk}.xlsx").status_code == 404
