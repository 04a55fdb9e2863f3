import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from chibo.core.dates import LOCAL_TZ
from chibo.core.errors import NotFound
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.orgs.models import Organization
from chibo.orgs.tests.factories import make_org
from chibo.plans import services
from chibo.plans.models import Obligation, Plan, Registration, RegistrationItem
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


@pytest.fixture
def issued(world: World) -> Plan:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    return plan


@pytest.fixture
def second_cell(world: World) -> Organization:
    return make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")


def obligation_of(plan: Plan, organization: Organization) -> Obligation:
    return Obligation.objects.get(target__plan=plan, organization=organization)


def good_items(world: World, second_cell: Organization) -> list[ItemData]:
    return [
        ItemData(world.cell_a.pk, "regular", at(2025, 3, 10, 8, 0), "Nhà văn hóa bản Một"),
        ItemData(second_cell.pk, "thematic", at(2025, 3, 20, 14, 0), "Nhà văn hóa bản Hai"),
    ]


def test_issue_creates_one_obligation_per_grassroots_committee(world: World) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    result = meeting_services.plan_issue(actor=world.officer, plan=plan)
    assert result.obligations_created == 2
    orgs = set(
        Obligation.objects.filter(target__plan=plan).values_list("organization__code", flat=True)
    )
    assert orgs == {"CA", "CB"}
    assert plan.status == Plan.Status.ISSUED
    designated = Meeting.objects.get(target__plan=plan)
    assert (designated.cell, designated.meeting_type) == (world.district_cell, "regular")


def test_reissuing_duplicates_nothing(world: World, issued: Plan) -> None:
    again = meeting_services.plan_issue(actor=world.officer, plan=issued)
    assert again.obligations_created == 0
    assert Obligation.objects.filter(target__plan=issued).count() == 2
    assert Meeting.objects.filter(target__plan=issued).count() == 1


def test_reissuing_reaches_a_committee_created_since(world: World, issued: Plan) -> None:
    make_org(world.district, "CN", "Đảng bộ xã Mới", "dang_bo_co_so")
    again = meeting_services.plan_issue(actor=world.officer, plan=issued)
    assert again.obligations_created == 1


def test_only_the_issuer_managers_issue(world: World) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    with pytest.raises(NotFound):
        meeting_services.plan_issue(actor=world.commune_secretary, plan=plan)
    assert Obligation.objects.count() == 0


def test_copy_to_2027_shifts_every_date(world: World, issued: Plan) -> None:
    copy = services.plan_copy(actor=world.officer, plan=issued, year=2027)
    assert copy.status == Plan.Status.DRAFT
    assert copy.year == 2027
    assert copy.issued_on == dt.date(2027, 1, 20)
    assert copy.title == "tổ chức sinh hoạt chi bộ mẫu năm 2027"
    quota = copy.targets.get(kind="quota")
    assert (quota.window_start, quota.window_end) == (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert quota.invitee_rules == issued.targets.get(kind="quota").invitee_rules
    duty = copy.reporting_duties.get()
    assert duty.deadline == dt.date(2027, 2, 20)
    assert duty.target == quota
    assert Obligation.objects.filter(target__plan=copy).count() == 0
    assert copy.copied_from == issued


def test_copy_to_the_same_year_is_refused(world: World, issued: Plan) -> None:
    with pytest.raises(ValidationError) as raised:
        services.plan_copy(actor=world.officer, plan=issued, year=2025)
    assert raised.value.messages == [str(services.PLAN_COPY_YEAR)]


def _save(world: World, plan: Plan, items: list[ItemData]) -> Registration:
    return services.registration_save(
        actor=world.commune_secretary, obligation=obligation_of(plan, world.commune_a), items=items
    )


@pytest.mark.parametrize(
    ("moment", "on_time"),
    [(at(2025, 2, 19, 23, 59), True), (at(2025, 2, 20, 0, 0), False)],
)
def test_submission_is_on_time_until_the_day_begins(
    world: World, issued: Plan, second_cell: Organization, moment: dt.datetime, on_time: bool
) -> None:
    registration = _save(world, issued, good_items(world, second_cell))
    with time_machine.travel(moment, tick=False):
        services.registration_submit(actor=world.commune_secretary, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.on_time is on_time
    assert registration.submitted_by == world.commune_secretary


def _refused(world: World, plan: Plan, items: list[ItemData]) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        _save(world, plan, items)
    assert RegistrationItem.objects.count() == 0
    return list(raised.value.message_dict["items"])


def test_wrong_meeting_types_are_refused(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    items = good_items(world, second_cell)
    items[1].meeting_type = "regular"
    assert _refused(world, issued, items) == [
        str(services.REGISTRATION_TYPES).format(types="sinh hoạt thường kỳ, sinh hoạt chuyên đề")
    ]


def test_cell_of_another_committee_is_refused(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    items = good_items(world, second_cell)
    items[1].cell_id = world.cell_b.pk
    assert _refused(world, issued, items) == [
        str(services.REGISTRATION_CELL_NOT_OWN).format(
            cell=f"Chi bộ mã số {world.cell_b.pk}", org="Đảng bộ xã An"
        )
    ]


def test_date_outside_the_window_is_refused(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    items = good_items(world, second_cell)
    items[0].starts_at = at(2025, 4, 2, 8, 0)
    assert _refused(world, issued, items) == [
        str(services.REGISTRATION_DATE_OUTSIDE).format(
            cell="Chi bộ bản Một", day="02/04/2025", start="01/03/2025", end="31/03/2025"
        )
    ]


def test_date_is_judged_in_local_time(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    items = good_items(world, second_cell)
    # 31/03 20:00 UTC is already 01/04 in Hanoi: outside "trong tháng 3".
    items[0].starts_at = dt.datetime(2025, 3, 31, 20, 0, tzinfo=dt.UTC)
    assert len(_refused(world, issued, items)) == 1


def test_one_cell_cannot_take_both_meetings(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    items = good_items(world, second_cell)
    items[1].cell_id = world.cell_a.pk
    assert _refused(world, issued, items) == [
        str(services.REGISTRATION_CELL_TWICE).format(cell="Chi bộ bản Một")
    ]


def test_every_problem_is_reported_at_once(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    items = good_items(world, second_cell)
    items[0].starts_at = at(2025, 4, 2, 8, 0)
    items[1].cell_id = world.cell_b.pk
    items[1].venue = " "
    assert len(_refused(world, issued, items)) == 3


def test_secretary_cannot_register_for_another_commune(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    with pytest.raises(NotFound):
        services.registration_save(
            actor=world.commune_secretary,
            obligation=obligation_of(issued, world.commune_b),
            items=[],
        )


@pytest.mark.parametrize("comment", ["", "Lùi buổi chuyên đề sang tuần sau"])
def test_return_by_a_reader_is_not_found_whatever_the_comment(
    world: World, issued: Plan, second_cell: Organization, comment: str
) -> None:
    registration = _save(world, issued, good_items(world, second_cell))
    services.registration_submit(actor=world.commune_secretary, registration=registration)
    with pytest.raises(NotFound):
        services.registration_return(
            actor=world.overseer, registration=registration, comment=comment
        )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.SUBMITTED


def test_return_correct_resubmit_accept_keeps_every_version(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = _save(world, issued, good_items(world, second_cell))
    services.registration_submit(actor=world.commune_secretary, registration=registration)
    with pytest.raises(ValidationError) as raised:
        services.registration_return(actor=world.officer, registration=registration, comment=" ")
    assert raised.value.messages == [str(services.REGISTRATION_RETURN_NEEDS_COMMENT)]
    services.registration_return(
        actor=world.officer, registration=registration, comment="Lùi buổi chuyên đề sang tuần sau"
    )
    items = good_items(world, second_cell)
    items[1].starts_at = at(2025, 3, 27, 14, 0)
    _save(world, issued, items)
    services.registration_submit(actor=world.commune_secretary, registration=registration)
    with pytest.raises(NotFound):
        meeting_services.registration_accept(
            actor=world.commune_secretary, registration=registration
        )
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    events = list(registration.versions.values_list("number", "event"))
    assert events == [(1, "submitted"), (1, "returned"), (2, "submitted"), (2, "accepted")]
    first, second = registration.versions.filter(event="submitted")
    assert first.items[1]["starts_at"].startswith("2025-03-20")
    assert second.items[1]["starts_at"].startswith("2025-03-27")
    meetings = Meeting.objects.filter(target__kind="quota").order_by("starts_at")
    assert [(m.cell.code, m.meeting_type, m.status) for m in meetings] == [
        ("CA-1", "regular", "scheduled"),
        ("CA-2", "thematic", "scheduled"),
    ]


def test_accepted_registration_cannot_be_edited(
    world: World, issued: Plan, second_cell: Organization
) -> None:
    registration = _save(world, issued, good_items(world, second_cell))
    services.registration_submit(actor=world.commune_secretary, registration=registration)
    meeting_services.registration_accept(actor=world.officer, registration=registration)
    with pytest.raises(ValidationError) as raised:
        _save(world, issued, good_items(world, second_cell))
    assert raised.value.messages == [str(services.REGISTRATION_NOT_EDITABLE)]


def test_draft_plan_takes_no_registration(world: World, second_cell: Organization) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    meeting_services.plan_issue(actor=world.officer, plan=plan)
    plan.status = Plan.Status.DRAFT
    plan.save()
    with pytest.raises(ValidationError) as raised:
        _save(world, plan, good_items(world, second_cell))
    assert raised.value.messages == [str(services.REGISTRATION_PLAN_NOT_ISSUED)]
