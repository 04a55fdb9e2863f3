import datetime as dt
import io
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.orgs.tests.factories import make_org
from chibo.plans import services
from chibo.plans.models import Obligation, Plan
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world: World) -> Plan:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    registration = services.registration_save(
        actor=world.commune_secretary,
        obligation=Obligation.objects.get(organization=world.commune_a),
        items=[
            ItemData(world.cell_a.pk, "regular", dt.datetime(2025, 3, 3, 8, tzinfo=LOCAL_TZ), "A"),
            ItemData(second.pk, "thematic", dt.datetime(2025, 3, 4, 8, tzinfo=LOCAL_TZ), "B"),
        ],
    )
    with time_machine.travel(dt.datetime(2025, 2, 10, 9, tzinfo=LOCAL_TZ), tick=False):
        services.registration_submit(actor=world.commune_secretary, registration=registration)
    return plan


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(plan: Plan, suffix: str = "progress/") -> str:
    return f"/plans/{plan.pk}/{suffix}"


@time_machine.travel(dt.datetime(2025, 2, 25, 9, tzinfo=LOCAL_TZ), tick=False)
def test_dashboard_marks_the_overdue_in_red(world: World, plan: Plan) -> None:
    response = client_for(world.officer).get(url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-org="CB"' in html
    row_b = html[html.index('data-org="CB"') - 60 : html.index('data-org="CB"')]
    assert "table-danger" in row_b
    row_a = html[html.index('data-org="CA"') - 60 : html.index('data-org="CA"')]
    assert "table-danger" not in row_a
    assert response.context["totals"].overdue == 1


def test_chart_deadline_is_drawn_where_its_label_is(world: World, plan: Plan) -> None:
    """SVG numbers are never localized: "141,7" (Vietnamese) would put the line at the edge."""
    html = client_for(world.officer).get(url(plan)).content.decode()
    x = re.search(r'<line x1="([^"]+)"', html)
    assert x is not None
    chart = client_for(world.officer).get(url(plan)).context["chart"]
    assert float(x.group(1)) == chart.deadline_x
    assert f"left: {chart.deadline_percent}%" in html


def test_dashboard_filters_by_status(world: World, plan: Plan) -> None:
    response = client_for(world.officer).get(url(plan), {"status": "missing"})
    assert [row.organization.code for row in response.context["page_obj"]] == ["CB"]


def test_htmx_request_gets_only_the_table(world: World, plan: Plan) -> None:
    response = client_for(world.officer).get(url(plan), {"q": "an"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-org="CA"' in html


def test_secretary_sees_only_their_row(world: World, plan: Plan) -> None:
    response = client_for(world.commune_secretary).get(url(plan))
    assert [row.organization.code for row in response.context["page_obj"]] == ["CA"]


def test_outsider_gets_404(world: World, plan: Plan) -> None:
    assert client_for(world.outsider).get(url(plan)).status_code == 404
    assert client_for(world.outsider).get(url(plan, "progress.xlsx")).status_code == 404


def test_anonymous_is_sent_to_login(world: World, plan: Plan) -> None:
    response = Client().get(url(plan))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@time_machine.travel(dt.datetime(2025, 2, 25, 9, tzinfo=LOCAL_TZ), tick=False)
def test_xlsx_export_has_headers_rows_and_real_dates(world: World, plan: Plan) -> None:
    response = client_for(world.officer).get(url(plan, "progress.xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    # The same name as from the plan page's menu.
    assert 'filename="tien-do-332-KH-HU-2025.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert sheet.freeze_panes == "A2"
    by_name = {row[0]: row for row in rows[1:]}
    sent = by_name["Đảng bộ xã An"][4]
    assert isinstance(sent, dt.datetime)
    # Excel has no time zone: the local wall-clock time is written.
    assert sent == dt.datetime(2025, 2, 10, 9, 0, tzinfo=LOCAL_TZ).replace(tzinfo=None)
    assert by_name["Đảng bộ xã Bình"][4] is None
    red = sheet.cell(row=[r[0] for r in rows].index("Đảng bộ xã Bình") + 1, column=1)
    assert red.font.color is not None
    assert red.font.color.rgb.endswith("C00000")


def test_dashboard_query_count_is_flat(
    world: World, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.officer)
    client.get(url(plan))
    with django_assert_max_num_queries(20) as few:
        client.get(url(plan))
    for number in range(30):
        make_org(world.district, f"N{number}", f"Đảng bộ xã Số {number}", "dang_bo_co_so")
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(plan))
    assert response.context["page_obj"].paginator.count == 32
