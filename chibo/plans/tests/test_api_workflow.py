import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils.translation import gettext

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.core.api import NUL_MESSAGE
from chibo.meetings.models import Meeting
from chibo.orgs.tests.factories import make_org
from chibo.plans.models import Plan, Registration, RegistrationItem
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


@pytest.fixture
def draft(world: World) -> Plan:
    return make_plan(world, status=Plan.Status.DRAFT)


def registration_body(world: World, second_id: int, **changes: Any) -> dict[str, Any]:
    items = [
        {
            "cell": world.cell_a.pk,
            "meeting_type": "regular",
            "starts_at": "2027-03-10T08:00:00+07:00",
            "venue": "Nhà văn hóa",
        },
        {
            "cell": second_id,
            "meeting_type": "thematic",
            "starts_at": "2027-03-20T14:00:00+07:00",
            "venue": "Nhà văn hóa",
        },
    ]
    for index, change in changes.items():
        items[int(index[1:])].update(change)
    return {"org": world.commune_a.pk, "items": items}


def test_copy_issue_register_submit_accept(world: World, draft: Plan) -> None:
    officer = client_for(world.officer)
    secretary = client_for(world.commune_secretary)
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")

    copied = post(officer, f"/api/v1/plans/{draft.pk}/copy", {"year": 2027})
    assert copied.status_code == 201
    copy = copied.json()
    assert copy["issued_on"] == "2027-01-20"
    assert copy["status"] == "draft"
    assert next(d for d in copy["deadlines"] if d["kind"] == "report")["date"] == "2027-02-20"

    issued = post(officer, f"/api/v1/plans/{copy['id']}/issue")
    assert issued.status_code == 200
    assert issued.json()["obligations_created"] == 2

    saved = post(
        secretary, f"/api/v1/plans/{copy['id']}/registrations", registration_body(world, second.pk)
    )
    assert saved.status_code == 201, saved.content
    registration = saved.json()
    assert registration["status"] == "draft"
    assert [item["cell"]["id"] for item in registration["items"]] == [world.cell_a.pk, second.pk]

    with time_machine.travel(
        dt.datetime(2027, 2, 19, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    ):
        submitted = post(secretary, f"/api/v1/registrations/{registration['id']}/submit")
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["on_time"] is True

    progress = officer.get(f"/api/v1/plans/{copy['id']}/progress").json()
    row = next(r for r in progress["rows"] if r["org"]["id"] == world.commune_a.pk)
    assert (row["registration"], row["on_time"]) == ("submitted", True)

    refused = post(secretary, f"/api/v1/registrations/{registration['id']}/accept")
    assert refused.status_code == 404
    accepted = post(officer, f"/api/v1/registrations/{registration['id']}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    assert Meeting.objects.filter(obligation__registration__pk=registration["id"]).count() == 2


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"i1": {"meeting_type": "regular"}}, "Hình thức sinh hoạt"),
        ({"i1": {"cell": "BINH_LU"}}, "không phải chi bộ trực thuộc"),
        ({"i0": {"starts_at": "2025-04-02T08:00:00+07:00"}}, "nằm ngoài thời gian"),
    ],
)
def test_invalid_registration_is_refused_and_changes_nothing(
    world: World, draft: Plan, changes: dict[str, Any], fragment: str
) -> None:
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    post(client_for(world.officer), f"/api/v1/plans/{draft.pk}/issue")
    for change in changes.values():
        if change.get("cell") == "BINH_LU":
            change["cell"] = world.cell_b.pk
    body = registration_body(world, second.pk, **changes)
    for item in body["items"]:
        item["starts_at"] = item["starts_at"].replace("2027", "2025")
    response = post(
        client_for(world.commune_secretary), f"/api/v1/plans/{draft.pk}/registrations", body
    )
    assert response.status_code == 422
    messages = response.json()["fields"]["items"]
    assert any(fragment in message for message in messages), messages
    assert Registration.objects.count() == 0
    assert RegistrationItem.objects.count() == 0


def test_registering_for_another_committee_is_404(world: World, draft: Plan) -> None:
    post(client_for(world.officer), f"/api/v1/plans/{draft.pk}/issue")
    body = {"org": world.commune_b.pk, "items": []}
    response = post(
        client_for(world.commune_secretary), f"/api/v1/plans/{draft.pk}/registrations", body
    )
    assert response.status_code == 404


def test_return_needs_a_comment_and_only_the_board_returns(world: World, draft: Plan) -> None:
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    officer = client_for(world.officer)
    secretary = client_for(world.commune_secretary)
    post(officer, f"/api/v1/plans/{draft.pk}/issue")
    body = registration_body(world, second.pk)
    for item in body["items"]:
        item["starts_at"] = item["starts_at"].replace("2027", "2025")
    registration = post(secretary, f"/api/v1/plans/{draft.pk}/registrations", body).json()
    post(secretary, f"/api/v1/registrations/{registration['id']}/submit")
    assert (
        post(
            secretary, f"/api/v1/registrations/{registration['id']}/return", {"comment": "x"}
        ).status_code
        == 404
    )
    empty = post(officer, f"/api/v1/registrations/{registration['id']}/return", {"comment": ""})
    assert empty.status_code == 422
    returned = post(
        officer, f"/api/v1/registrations/{registration['id']}/return", {"comment": "Sửa giờ"}
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Sửa giờ"


def test_outsider_cannot_read_a_registration(world: World, draft: Plan) -> None:
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    post(client_for(world.officer), f"/api/v1/plans/{draft.pk}/issue")
    body = registration_body(world, second.pk)
    for item in body["items"]:
        item["starts_at"] = item["starts_at"].replace("2027", "2025")
    registration = post(
        client_for(world.commune_secretary), f"/api/v1/plans/{draft.pk}/registrations", body
    ).json()
    assert (
        client_for(world.outsider).get(f"/api/v1/registrations/{registration['id']}").status_code
        == 404
    )
    assert (
        client_for(world.commune_secretary)
        .get(f"/api/v1/registrations/{registration['id']}")
        .status_code
        == 200
    )


def test_nul_byte_in_input_is_refused(world: World, draft: Plan) -> None:
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    post(client_for(world.officer), f"/api/v1/plans/{draft.pk}/issue")
    body = registration_body(world, second.pk, i0={"venue": "Hội\x00trường"})
    response = post(
        client_for(world.commune_secretary), f"/api/v1/plans/{draft.pk}/registrations", body
    )
    assert response.status_code == 422
    # Checked before the items' own fields: the list is refused as a whole.
    assert response.json()["fields"]["items"] == [gettext(str(NUL_MESSAGE))]


def test_a_body_that_does_not_fit_is_told_why_in_vietnamese(world: World, draft: Plan) -> None:
    post(client_for(world.officer), f"/api/v1/plans/{draft.pk}/issue")
    body = {"org": "CA", "items": [{"cell": world.cell_a.pk, "meeting_type": "weekly"}]}
    response = post(
        client_for(world.commune_secretary), f"/api/v1/plans/{draft.pk}/registrations", body
    )
    assert response.status_code == 422
    answer = response.json()
    assert answer["message"] == "Yêu cầu không hợp lệ: hãy xem các trường được nêu."
    assert answer["fields"]["org"] == ["Phải là số nguyên."]
    assert answer["fields"]["items.0.starts_at"] == ["Trường này là bắt buộc."]
    assert answer["fields"]["items.0.venue"] == ["Trường này là bắt buộc."]
    assert not Registration.objects.exists()


def test_no_credentials_is_401_with_a_message(draft: Plan) -> None:
    response = Client().get(f"/api/v1/plans/{draft.pk}")
    assert response.status_code == 401
    assert "chibo token create" in response.json()["message"]
