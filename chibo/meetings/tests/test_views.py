import datetime as dt
import html as html_lib
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from chibo.accounts.models import User
from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Meeting
from chibo.meetings.views import PLAN_ISSUED, REGISTRATION_ACCEPTED
from chibo.orgs.models import Organization
from chibo.orgs.tests.factories import make_org
from chibo.plans import services as plan_services
from chibo.plans.models import Obligation, Plan, Registration
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_vietnamese() -> Iterator[None]:
    with translation.override("vi"):
        yield


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LOCAL_TZ)  # type: ignore[misc]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return html_lib.unescape(response.content.decode())


@pytest.fixture
def draft(world: World) -> Plan:
    return make_plan(world, status=Plan.Status.DRAFT)


@pytest.fixture
def second_cell(world: World) -> Organization:
    return make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")


@pytest.fixture
def submitted(world: World, draft: Plan, second_cell: Organization) -> Registration:
    meeting_services.plan_issue(actor=None, plan=draft)
    obligation = Obligation.objects.get(target__plan=draft, organization=world.commune_a)
    registration = plan_services.registration_save(
        actor=world.commune_secretary,
        obligation=obligation,
        items=[
            ItemData(world.cell_a.pk, "regular", at(2025, 3, 10, 8, 0), "Nhà văn hóa bản Một"),
            ItemData(second_cell.pk, "thematic", at(2025, 3, 20, 14, 0), "Nhà văn hóa bản Hai"),
        ],
    )
    return plan_services.registration_submit(
        actor=world.commune_secretary, registration=registration, at=at(2025, 2, 10, 9, 0)
    )


def issue_url(plan: Plan) -> str:
    return reverse("meetings:plan_issue", args=[plan.pk])


def accept_url(registration: Registration) -> str:
    return reverse("meetings:registration_accept", args=[registration.pk])


# --- Issuing ------------------------------------------------------------------------------------


def test_issue_anonymous_is_sent_to_login(draft: Plan) -> None:
    response = Client().post(issue_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_issue_refuses_get(world: World, draft: Plan) -> None:
    assert client_for(world.officer).get(issue_url(draft)).status_code == 405


@pytest.mark.parametrize("who", ["outsider", "commune_secretary", "overseer", "nobody"])
def test_issue_by_anyone_but_the_issuer_managers_gets_404(
    world: World, draft: Plan, who: str
) -> None:
    response = client_for(getattr(world, who)).post(issue_url(draft))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT
    assert Obligation.objects.count() == 0


def test_issue_creates_obligations_and_returns_to_the_plan(world: World, draft: Plan) -> None:
    response = client_for(world.officer).post(issue_url(draft), follow=True)
    assert response.redirect_chain == [(reverse("plans:plan_detail", args=[draft.pk]), 302)]
    draft.refresh_from_db()
    assert draft.status == Plan.Status.ISSUED
    assert Obligation.objects.filter(target__plan=draft).count() == 2
    assert Meeting.objects.filter(target__plan=draft, is_model=True).count() == 1
    assert str(PLAN_ISSUED).format(count=2) in text_of(response)


def test_issuing_a_closed_plan_is_refused_with_the_message(world: World, draft: Plan) -> None:
    draft.status = Plan.Status.CLOSED
    draft.save(update_fields=["status"])
    response = client_for(world.officer).post(issue_url(draft), follow=True)
    assert str(plan_services.PLAN_CLOSED) in text_of(response)
    assert Obligation.objects.count() == 0


# --- Accepting ----------------------------------------------------------------------------------


def test_accept_anonymous_is_sent_to_login(submitted: Registration) -> None:
    response = Client().post(accept_url(submitted))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_accept_refuses_get(world: World, submitted: Registration) -> None:
    assert client_for(world.officer).get(accept_url(submitted)).status_code == 405


@pytest.mark.parametrize("who", ["outsider", "commune_secretary", "cell_secretary", "overseer"])
def test_accept_by_anyone_but_the_board_gets_404(
    world: World, submitted: Registration, who: str
) -> None:
    response = client_for(getattr(world, who)).post(accept_url(submitted))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Registration.Status.SUBMITTED
    assert not Meeting.objects.filter(obligation__isnull=False).exists()


def test_accept_schedules_the_meetings(world: World, submitted: Registration) -> None:
    response = client_for(world.officer).post(
        accept_url(submitted), {"comment": "Đồng ý."}, follow=True
    )
    detail = reverse("plans:registration_detail", args=[submitted.pk])
    assert response.redirect_chain == [(detail, 302)]
    assert str(REGISTRATION_ACCEPTED) in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Registration.Status.ACCEPTED
    assert submitted.review_comment == "Đồng ý."
    meetings = Meeting.objects.filter(obligation=submitted.obligation).order_by("starts_at")
    assert [(m.cell_id, m.meeting_type, m.status) for m in meetings] == [
        (world.cell_a.pk, "regular", Meeting.Status.SCHEDULED),
        (meetings[1].cell_id, "thematic", Meeting.Status.SCHEDULED),
    ]
    assert meetings[0].starts_at == at(2025, 3, 10, 8, 0)


def test_accepting_a_draft_is_refused_with_the_message(
    world: World, submitted: Registration
) -> None:
    plan_services.registration_return(actor=None, registration=submitted, comment="Sửa.")
    response = client_for(world.officer).post(accept_url(submitted), follow=True)
    assert str(plan_services.REGISTRATION_NOT_SUBMITTED) in text_of(response)
    submitted.refresh_from_db()
    assert submitted.status == Registration.Status.RETURNED
    assert not Meeting.objects.filter(obligation__isnull=False).exists()


# --- The whole way, through the pages -----------------------------------------------------------


@time_machine.travel(dt.datetime(2027, 2, 1, 9, 0, tzinfo=LOCAL_TZ), tick=False)
def test_copy_issue_register_send_and_accept_through_the_pages(
    world: World, draft: Plan, second_cell: Organization
) -> None:
    officer = client_for(world.officer)
    secretary = client_for(world.commune_secretary)

    officer.post(reverse("plans:plan_copy", args=[draft.pk]), {"year": 2027})
    copy = Plan.objects.get(year=2027)
    assert copy.status == Plan.Status.DRAFT
    officer.post(issue_url(copy))
    copy.refresh_from_db()
    assert copy.status == Plan.Status.ISSUED

    rows = {
        "items-TOTAL_FORMS": 2,
        "items-INITIAL_FORMS": 2,
        "items-0-cell": world.cell_a.pk,
        "items-0-meeting_type": "regular",
        "items-0-day": "2027-03-09",
        "items-0-time": "08:00",
        "items-0-venue": "Nhà văn hóa bản Một",
        "items-1-cell": second_cell.pk,
        "items-1-meeting_type": "thematic",
        "items-1-day": "2027-03-23",
        "items-1-time": "14:00",
        "items-1-venue": "Hội trường Đảng ủy xã An",
    }
    edit = reverse("plans:registration_edit", args=[copy.pk, world.commune_a.pk])
    assert secretary.post(edit, rows).status_code == 302
    registration = Registration.objects.get(obligation__target__plan=copy)
    secretary.post(reverse("plans:registration_submit", args=[registration.pk]))
    officer.post(accept_url(registration))

    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    assert registration.on_time is True
    starts = sorted(
        Meeting.objects.filter(obligation=registration.obligation).values_list(
            "starts_at", flat=True
        )
    )
    assert starts == [at(2027, 3, 9, 8, 0), at(2027, 3, 23, 14, 0)]
