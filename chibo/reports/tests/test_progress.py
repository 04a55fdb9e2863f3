import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from chibo.accounts.models import User
from chibo.accounts.services import token_create
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Criterion, Meeting
from chibo.meetings.services import evaluations
from chibo.orgs.tests.factories import make_org
from chibo.plans import services
from chibo.plans.models import Obligation, Plan
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from chibo.reports import selectors
from conftest import World

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.fixture
def plan(world: World) -> Plan:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    return plan


def register(world: World, plan: Plan, when: dt.datetime) -> None:
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    obligation = Obligation.objects.get(target__plan=plan, organization=world.commune_a)
    registration = services.registration_save(
        actor=world.commune_secretary,
        obligation=obligation,
        items=[
            ItemData(world.cell_a.pk, "regular", at(2025, 3, 10, 8), "Hội trường"),
            ItemData(second.pk, "thematic", at(2025, 3, 12, 8), "Hội trường"),
        ],
    )
    with time_machine.travel(when, tick=False):
        services.registration_submit(actor=world.commune_secretary, registration=registration)


def client_for(user: User) -> Client:
    _, raw = token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_rows_show_state_and_overdue_after_the_deadline(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    rows = {
        row.organization.code: row
        for row in selectors.progress_attach_counts(
            selectors.progress_rows(actor=world.officer, plan=plan, today=dt.date(2025, 2, 21))
        )
    }
    assert rows["CA"].registration_state == "submitted"
    assert rows["CA"].is_overdue is False
    assert rows["CB"].registration_state == "missing"
    assert rows["CB"].is_overdue is True


def test_nothing_is_overdue_on_the_last_day(world: World, plan: Plan) -> None:
    rows = selectors.progress_rows(actor=world.officer, plan=plan, today=dt.date(2025, 2, 19))
    assert [row.is_overdue for row in selectors.progress_attach_counts(rows)] == [False, False]


def test_totals_count_states_and_timeliness(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 20, 0, 0))  # the first late minute
    totals = selectors.progress_totals(actor=world.officer, plan=plan, today=dt.date(2025, 3, 1))
    assert totals.obligations == 2
    assert totals.by_state["submitted"] == 1
    assert totals.by_state["missing"] == 1
    assert (totals.on_time, totals.late, totals.overdue) == (0, 1, 1)
    assert totals.sent_percent == 50
    assert totals.meetings_expected == 4


def test_secretary_sees_only_their_row(world: World, plan: Plan) -> None:
    rows = selectors.progress_rows(actor=world.commune_secretary, plan=plan)
    assert [row.organization.code for row in rows] == ["CA"]
    assert selectors.progress_totals(actor=world.commune_secretary, plan=plan).obligations == 1


def test_filters_and_search(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    only = selectors.ProgressFilters(status="missing")
    rows = selectors.progress_rows(actor=world.officer, plan=plan, filters=only)
    assert [row.organization.code for row in rows] == ["CB"]
    search = selectors.ProgressFilters(search="binh")
    rows = selectors.progress_rows(actor=world.officer, plan=plan, filters=search)
    assert [row.organization.code for row in rows] == ["CB"]


def test_held_meetings_are_counted(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    registration = Obligation.objects.get(organization=world.commune_a).registration
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    Meeting.objects.filter(obligation__organization=world.commune_a, meeting_type="regular").update(
        status=Meeting.Status.HELD
    )
    rows = selectors.progress_rows(actor=world.officer, plan=plan).filter(
        organization=world.commune_a
    )
    (row,) = selectors.progress_attach_counts(rows)
    assert (row.meetings_scheduled, row.meetings_held) == (2, 1)
    by_held = selectors.ProgressFilters(sort="-held")
    ordered = selectors.progress_rows(actor=world.officer, plan=plan, filters=by_held)
    assert [r.organization.code for r in ordered] == ["CA", "CB"]


def test_overdue_filter_counts_meetings_not_held_after_the_window(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    registration = Obligation.objects.get(organization=world.commune_a).registration
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    overdue = selectors.ProgressFilters(overdue=True)
    in_march = selectors.progress_rows(
        actor=world.officer, plan=plan, filters=overdue, today=dt.date(2025, 3, 15)
    )
    assert [r.organization.code for r in in_march] == ["CB"]
    in_april = selectors.progress_rows(
        actor=world.officer, plan=plan, filters=overdue, today=dt.date(2025, 4, 2)
    )
    assert [r.organization.code for r in in_april] == ["CA", "CB"]


def test_overdue_total_counts_what_the_rows_show_in_red(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    registration = Obligation.objects.get(organization=world.commune_a).registration
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    for today in (dt.date(2025, 3, 15), dt.date(2025, 4, 2)):
        rows = selectors.progress_attach_counts(
            selectors.progress_rows(actor=world.officer, plan=plan, today=today)
        )
        red = sum(1 for row in rows if row.is_overdue)
        totals = selectors.progress_totals(actor=world.officer, plan=plan, today=today)
        assert totals.overdue == red
    assert red == 2  # in April: CB never sent its list, CA's meetings were not held


def test_meetings_evaluated_and_with_lessons_are_counted(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    registration = Obligation.objects.get(organization=world.commune_a).registration
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    regular, thematic = Meeting.objects.filter(obligation__organization=world.commune_a).order_by(
        "starts_at"
    )
    for meeting, lessons in ((regular, "Chuẩn bị kỹ"), (thematic, "")):
        meeting_services.meeting_record_held(
            actor=world.officer, meeting=meeting, at=at(2025, 3, 13, 8)
        )
        scores = [evaluations.ScoreData(c.code, 18, "") for c in Criterion.objects.all()]
        evaluations.evaluation_submit(
            actor=world.officer, meeting=meeting, scores=scores, lessons=lessons
        )
    rows = selectors.progress_attach_counts(
        selectors.progress_rows(actor=world.officer, plan=plan).filter(organization=world.commune_a)
    )
    counts = [(r.meetings_held, r.meetings_evaluated, r.meetings_with_lessons) for r in rows]
    assert counts == [(2, 2, 1)]
    totals = selectors.progress_totals(actor=world.officer, plan=plan)
    assert (totals.meetings_held, totals.meetings_evaluated, totals.meetings_with_lessons) == (
        2,
        2,
        1,
    )
    body = client_for(world.officer).get(f"/api/v1/plans/{plan.pk}/progress").json()
    assert body["totals"]["meetings_evaluated"] == 2
    by_code = {row["org"]["code"]: row for row in body["rows"]}
    assert by_code["CA"]["meetings_with_lessons"] == 1


def test_series_is_cumulative_by_local_day(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 23, 30))
    assert selectors.progress_series(actor=world.officer, plan=plan) == [(dt.date(2025, 2, 10), 1)]


def test_progress_api(world: World, plan: Plan) -> None:
    register(world, plan, at(2025, 2, 10, 9))
    body = client_for(world.officer).get(f"/api/v1/plans/{plan.pk}/progress").json()
    assert body["count"] == 2
    row = next(r for r in body["rows"] if r["org"]["id"] == world.commune_a.pk)
    assert row["registration"] == "submitted"
    assert row["on_time"] is True
    assert row["registration_id"] is not None
    assert row["org"]["name"] == "Đảng bộ xã An"
    missing = next(r for r in body["rows"] if r["org"]["id"] == world.commune_b.pk)
    assert (missing["registration"], missing["on_time"], missing["registration_id"]) == (
        "missing",
        None,
        None,
    )
    assert body["totals"]["by_state"]["submitted"] == 1


def test_progress_api_outsider_gets_404(world: World, plan: Plan) -> None:
    response = client_for(world.outsider).get(f"/api/v1/plans/{plan.pk}/progress")
    assert response.status_code == 404


def test_progress_api_query_count_is_flat(
    world: World, plan: Plan, django_assert_max_num_queries: Any
) -> None:
    client = client_for(world.officer)
    client.get(f"/api/v1/plans/{plan.pk}/progress")
    with django_assert_max_num_queries(12) as few:
        client.get(f"/api/v1/plans/{plan.pk}/progress")
    for number in range(30):
        make_org(world.district, f"N{number}", f"Đảng bộ xã Số {number}", "dang_bo_co_so")
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/api/v1/plans/{plan.pk}/progress")
    assert response.json()["count"] == 32


def test_the_plans_own_model_meetings_are_listed_with_their_evaluations(
    world: World, plan: Plan
) -> None:
    meeting = Meeting.objects.get(target__plan=plan, cell=world.district_cell)
    meeting_services.meeting_schedule(
        actor=world.officer,
        meeting=meeting,
        starts_at=at(2025, 3, 12, 8),
        ends_at=at(2025, 3, 12, 10),
        venue="Hội trường",
    )
    meeting_services.meeting_record_held(actor=world.officer, meeting=meeting, at=at(2025, 3, 13))
    scores = [evaluations.ScoreData(c.code, 18, "") for c in Criterion.objects.all()]
    evaluations.evaluation_submit(
        actor=world.officer, meeting=meeting, scores=scores, lessons="Chuẩn bị kỹ"
    )
    (row,) = selectors.designated_meetings(actor=world.officer, plan=plan)
    assert (row.pk, row.evaluations_count, row.lessons_count) == (meeting.pk, 1, 1)
    body = client_for(world.officer).get(f"/api/v1/plans/{plan.pk}/progress").json()
    assert body["designated"] == [
        {
            "meeting": meeting.pk,
            "cell": {"id": world.district_cell.pk, "code": "D-KT", "name": "Chi bộ phòng Kinh tế"},
            "meeting_type": meeting.meeting_type,
            "starts_at": "2025-03-12T01:00:00Z",
            "status": "held",
            "evaluations": 1,
            "with_lessons": 1,
        }
    ]
    # A commune secretary sees the plan, not the district cell's meeting.
    assert not selectors.designated_meetings(actor=world.commune_secretary, plan=plan)
    page = Client()
    page.force_login(world.officer)
    html = page.get(f"/plans/{plan.pk}/progress/").content.decode()
    assert html.count('data-testid="designated-row"') == 1


def test_the_chart_runs_from_issue_to_today_while_the_plan_is_under_way(plan: Plan) -> None:
    during = selectors.progress_chart_span(plan=plan, today=dt.date(2025, 2, 10))
    assert (during.start, during.end) == (plan.issued_on, dt.date(2025, 2, 10))
    assert during.deadline == dt.date(2025, 2, 20)
    after = selectors.progress_chart_span(plan=plan, today=dt.date(2025, 6, 1))
    assert after.end == dt.date(2025, 3, 31)  # the end of the window, not today
