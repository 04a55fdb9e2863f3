"""A draft (a copy for a new year above all) is corrected before it is issued."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from chibo.accounts.services import token_create
from chibo.core.errors import NotFound
from chibo.plans import services
from chibo.plans.models import Plan
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy(world: World) -> Plan:
    original = make_plan(world, status=Plan.Status.ISSUED)
    return services.plan_copy(actor=world.officer, plan=original, year=2027)


def edit_of(plan: Plan, **changes: Any) -> services.PlanEdit:
    quota = plan.targets.get(kind="quota")
    duty = plan.reporting_duties.get()
    values: dict[str, Any] = {
        "number": 15,
        "issued_on": dt.date(2027, 1, 10),
        "place": "Đông",
        "title": "Kế hoạch tổ chức sinh hoạt chi bộ mẫu năm 2027",
        "signer_title": "Phó Bí thư",
        "signer_name": "Nguyễn Văn Ký",
        "windows": {quota.pk: (dt.date(2027, 4, 1), dt.date(2027, 4, 30))},
        "deadlines": {duty.pk: dt.date(2027, 3, 15)},
    }
    return services.PlanEdit(**(values | changes))


def test_a_copy_gets_its_own_number_date_window_and_deadline(world: World, copy: Plan) -> None:
    copy.targets.update(window_label="Hoàn thành trong tháng 3/2027")
    services.plan_update(actor=world.officer, plan=copy, edit=edit_of(copy))
    copy.refresh_from_db()
    assert (copy.number, copy.issued_on) == (15, dt.date(2027, 1, 10))
    quota = copy.targets.get(kind="quota")
    assert (quota.window_start, quota.window_end) == (dt.date(2027, 4, 1), dt.date(2027, 4, 30))
    # The label that spoke of March no longer describes the window; an unmoved one keeps its own.
    assert quota.window_label == ""
    unmoved = copy.targets.filter(kind="designated")
    assert {target.window_label for target in unmoved} == {"Hoàn thành trong tháng 3/2027"}
    assert copy.reporting_duties.get().deadline == dt.date(2027, 3, 15)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"issued_on": dt.date(2026, 12, 31)}, "issued_on"),
        ({"number": 16}, "number"),
    ],
)
def test_refusals_change_nothing(
    world: World, copy: Plan, changes: dict[str, Any], field: str
) -> None:
    make_plan(world, number=16, year=2027)  # 16 is taken in 2027 by another plan
    before = (copy.number, copy.issued_on, copy.title)
    with pytest.raises(ValidationError) as raised:
        services.plan_update(actor=world.officer, plan=copy, edit=edit_of(copy, **changes))
    assert field in raised.value.message_dict
    copy.refresh_from_db()
    assert (copy.number, copy.issued_on, copy.title) == before


def test_a_window_ending_before_it_starts_keeps_everything(world: World, copy: Plan) -> None:
    quota = copy.targets.get(kind="quota")
    bad = {quota.pk: (dt.date(2027, 4, 30), dt.date(2027, 4, 1))}
    with pytest.raises(ValidationError):
        services.plan_update(actor=world.officer, plan=copy, edit=edit_of(copy, windows=bad))
    copy.refresh_from_db()
    assert copy.number == 332  # the header change went back with the window's refusal


def test_only_a_draft_of_ones_own_committee(world: World, copy: Plan) -> None:
    with pytest.raises(NotFound):
        services.plan_update(actor=world.commune_secretary, plan=copy, edit=edit_of(copy))
    services.plan_issue(actor=world.officer, plan=copy)
    with pytest.raises(ValidationError) as raised:
        services.plan_update(actor=world.officer, plan=copy, edit=edit_of(copy))
    assert raised.value.messages == [str(services.PLAN_NOT_DRAFT)]


def test_the_page_edits_and_the_plan_page_links_to_it(world: World, copy: Plan) -> None:
    client = Client()
    client.force_login(world.officer)
    detail = client.get(reverse("plans:plan_detail", args=[copy.pk])).content.decode()
    url = reverse("plans:plan_edit", args=[copy.pk])
    assert f'href="{url}"' in detail
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data |= {"number": "16", "issued_on": "2027-01-12"}
    response = client.post(url, data)
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.number, copy.issued_on) == (16, dt.date(2027, 1, 12))
    reader = Client()
    reader.force_login(world.overseer)
    assert reader.get(url).status_code == 404


def test_the_api_edits_a_draft(world: World, copy: Plan) -> None:
    _, raw = token_create(user=world.officer)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    duty = copy.reporting_duties.get()
    body = {
        "number": 17,
        "issued_on": "2027-01-15",
        "place": "Đông",
        "title": copy.title,
        "deadlines": [{"duty": duty.pk, "deadline": "2027-02-26"}],
    }
    response = client.put(f"/api/v1/plans/{copy.pk}", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["number"] == "17-KH/HU"
    duty.refresh_from_db()
    assert duty.deadline == dt.date(2027, 2, 26)
    body["issued_on"] = "2028-01-01"
    refused = client.put(f"/api/v1/plans/{copy.pk}", body, content_type="application/json")
    assert refused.status_code == 422
    assert "issued_on" in refused.json()["fields"]
