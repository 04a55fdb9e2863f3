import pytest

from chibo.core.errors import NotFound
from chibo.plans import selectors
from chibo.plans.models import Plan
from chibo.plans.tests.factories import make_plan
from conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("officer", True),
        ("overseer", True),
        ("commune_secretary", True),  # an issued plan reaches the organizations below
        ("cell_secretary", True),
        ("outsider", False),
        ("nobody", False),
    ],
)
def test_issued_plan_visibility(world: World, user: str, sees: bool) -> None:
    plan = make_plan(world)
    actor = getattr(world, user)
    assert (plan in selectors.plan_list(actor=actor)) is sees
    if not sees:
        with pytest.raises(NotFound):
            selectors.plan_get(actor=actor, plan_id=plan.pk)


def test_draft_plan_is_seen_only_inside_the_issuer(world: World) -> None:
    plan = make_plan(world, status=Plan.Status.DRAFT)
    assert plan in selectors.plan_list(actor=world.officer)
    assert plan not in selectors.plan_list(actor=world.commune_secretary)
