import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from chibo.core.errors import NotFound
from chibo.plans import services
from chibo.plans.models import TARGET_WINDOW_NOT_INTERVAL, LegalBasis, Plan, Target
from chibo.plans.tests.factories import designated, make_plan, plan_data, quota
from conftest import World

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def test_plan_create_stores_every_part(world: World) -> None:
    plan = make_plan(world)
    assert plan.number_symbol == "332-KH/HU"
    assert [t.kind for t in plan.targets.all()] == ["designated", "quota"]
    duty = plan.reporting_duties.get()
    assert duty.last_day == dt.date(2025, 2, 19)
    assert duty.target == plan.targets.get(kind="quota")
    chain = list(plan.legal_bases.all())
    assert chain[1].implements == chain[0]


def test_plan_number_is_unique_per_issuer_and_year(world: World) -> None:
    make_plan(world)
    with pytest.raises(ValidationError) as raised:
        make_plan(world)
    assert _messages(raised.value) == [
        str(services.PLAN_NUMBER_TAKEN).format(year=2025),
    ]
    assert Plan.objects.count() == 1


def test_same_number_next_year_is_allowed(world: World) -> None:
    make_plan(world)
    make_plan(world, year=2026)
    assert Plan.objects.count() == 2


def test_target_window_must_be_an_interval(world: World) -> None:
    target = dataclasses.replace(
        designated(world), window_start=dt.date(2025, 3, 31), window_end=dt.date(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as raised:
        make_plan(world, targets=[target])
    assert _messages(raised.value) == [str(TARGET_WINDOW_NOT_INTERVAL)]
    assert Plan.objects.count() == 0
    assert LegalBasis.objects.count() == 0


def test_designated_target_must_be_a_cell(world: World) -> None:
    target = dataclasses.replace(designated(world), organization=world.commune_a)
    with pytest.raises(ValidationError) as raised:
        make_plan(world, targets=[target])
    assert _messages(raised.value) == [str(services.TARGET_DESIGNATED_NOT_CELL)]


@pytest.mark.parametrize("types", [[], ["regular", "regular"], ["weekly"]])
def test_meeting_types_must_be_known_and_distinct(world: World, types: list[str]) -> None:
    target = dataclasses.replace(quota(world), meeting_types=types)
    with pytest.raises(ValidationError) as raised:
        make_plan(world, targets=[target])
    assert _messages(raised.value) == [str(services.TARGET_MEETING_TYPES_INVALID)]


def test_quota_needs_a_count_of_one_or_more(world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        make_plan(world, targets=[quota(world, count=0)])
    assert _messages(raised.value) == [str(services.TARGET_QUOTA_COUNT)]


def test_invitee_rule_naming_an_unknown_org_is_refused(world: World) -> None:
    target = dataclasses.replace(
        designated(world), invitee_rules=[{"group": "advisory", "of": "NO-SUCH-ORG"}]
    )
    with pytest.raises(ValidationError) as raised:
        make_plan(world, targets=[target])
    assert "NO-SUCH-ORG" in _messages(raised.value)[0]
    assert Target.objects.count() == 0


def test_invitee_rule_of_unknown_shape_is_refused(world: World) -> None:
    target = dataclasses.replace(designated(world), invitee_rules=[{"group": "everyone"}])
    with pytest.raises(ValidationError):
        make_plan(world, targets=[target])
    assert Plan.objects.count() == 0


def test_only_managers_of_the_issuer_create_plans(world: World) -> None:
    with pytest.raises(NotFound):
        services.plan_create(actor=world.commune_secretary, data=plan_data(world))
    plan = services.plan_create(actor=world.officer, data=plan_data(world))
    assert plan.issuer_org == world.district
