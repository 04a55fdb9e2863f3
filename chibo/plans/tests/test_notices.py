"""The committee below is told when a plan asks something of it and when its list is answered."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from chibo.core.dates import LOCAL_TZ
from chibo.meetings import services as meeting_services
from chibo.notifications.models import Notification
from chibo.orgs.tests.factories import make_org
from chibo.plans import services
from chibo.plans.models import Obligation, Plan
from chibo.plans.services import ItemData
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


def notices_of(world: World, prefix: str) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=world.commune_secretary, key__startswith=prefix)
    )


def test_issuing_tells_each_committee_what_and_by_when(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_issue(actor=world.officer, plan=plan)
        services.plan_issue(actor=world.officer, plan=plan)  # again: nothing new, no new notice
    (notice,) = notices_of(world, "plan-issued:")
    assert world.commune_a.name in notice.title
    assert plan.number_symbol in notice.title
    assert "20/02/2025" in notice.body
    assert notice.url == reverse("plans:plan_detail", args=[plan.pk])
    # The other commune's secretary is someone else: this one hears only of their own commune.
    assert world.commune_b.name not in notice.title


def test_a_replay_without_a_person_is_silent(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_issue(actor=None, plan=plan)
    assert not Notification.objects.exists()


def test_return_and_accept_reach_the_committee(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    services.plan_issue(actor=None, plan=plan)
    second = make_org(world.commune_a, "CA-2", "Chi bộ bản Hai An", "chi_bo_truc_thuoc")
    day = dt.datetime(2025, 3, 10, 8, tzinfo=LOCAL_TZ)
    registration = services.registration_save(
        actor=world.commune_secretary,
        obligation=Obligation.objects.get(target__plan=plan, organization=world.commune_a),
        items=[
            ItemData(world.cell_a.pk, "regular", day, "Nhà văn hóa"),
            ItemData(second.pk, "thematic", day + dt.timedelta(days=2), "Nhà văn hóa"),
        ],
    )
    services.registration_submit(actor=world.commune_secretary, registration=registration)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_return(
            actor=world.officer, registration=registration, comment="Ghi rõ giờ kết thúc"
        )
    (returned,) = notices_of(world, "registration:")
    assert world.commune_a.name in returned.title
    assert returned.body == "Ghi rõ giờ kết thúc"
    assert returned.url == reverse("plans:registration_detail", args=[registration.pk])
    services.registration_submit(actor=world.commune_secretary, registration=registration)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.registration_accept(actor=world.officer, registration=registration)
    assert len(notices_of(world, "registration:")) == 2
    accepted = Notification.objects.filter(
        recipient=world.commune_secretary, key__endswith=":accepted"
    ).get()
    assert world.commune_a.name in accepted.title
