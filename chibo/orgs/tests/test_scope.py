import pytest

from chibo.core.errors import NotFound
from chibo.orgs import selectors, services
from chibo.orgs.models import Body, Position
from chibo.orgs.scope import (
    Access,
    body_grants_scope,
    post_grants_scope,
    post_level,
    scope_for,
)
from conftest import World

pytestmark = pytest.mark.django_db


# Who may do what where: (user, organization, strongest level or None for "nothing").
SCOPE_TABLE = [
    ("officer", "district", Access.MANAGE),
    ("officer", "cell_a", Access.MANAGE),
    ("officer", "province", None),
    ("officer", "other_cell", None),
    ("overseer", "district", Access.READ),
    ("overseer", "cell_b", Access.READ),
    ("commune_secretary", "commune_a", Access.ACT),
    ("commune_secretary", "cell_a", Access.ACT),
    ("commune_secretary", "commune_b", None),
    ("commune_secretary", "district", None),
    ("cell_secretary", "cell_a", Access.ACT),
    ("cell_secretary", "commune_a", None),
    ("outsider", "district", None),
    ("outsider", "cell_a", None),
    ("outsider", "other_cell", Access.ACT),
    ("nobody", "district", None),
]


@pytest.mark.parametrize(("user", "org", "level"), SCOPE_TABLE)
def test_scope_level_follows_posts(world: World, user: str, org: str, level: Access | None) -> None:
    scope = scope_for(getattr(world, user))
    assert scope.level_for(getattr(world, org)) == level


def test_superuser_scope_is_unrestricted(world: World) -> None:
    world.nobody.is_superuser = True
    assert scope_for(world.nobody).allows(world.other_cell, Access.MANAGE)


def test_inactive_user_sees_nothing(world: World) -> None:
    world.officer.is_active = False
    assert selectors.org_list(actor=world.officer).count() == 0


def test_org_list_is_filtered_by_scope(world: World) -> None:
    codes = set(selectors.org_list(actor=world.commune_secretary).values_list("code", flat=True))
    assert codes == {"CA", "CA-1"}


def test_org_get_outside_scope_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        selectors.org_get(actor=world.commune_secretary, org_id=world.commune_b.pk)


def test_closed_position_gives_no_scope(world: World) -> None:
    import datetime as dt

    from chibo.orgs.models import Position

    Position.objects.filter(person=world.commune_secretary.person).update(
        start_on=dt.date(2015, 1, 1), end_on=dt.date(2020, 1, 1)
    )
    world.commune_secretary.refresh_from_db()
    scope = scope_for(world.commune_secretary)
    # Still a member of cell A (home cell), but no longer acting for the commune.
    assert scope.level_for(world.commune_a) is None
    assert scope.level_for(world.cell_a) == Access.READ


def test_manage_required_to_create_under_org(world: World) -> None:
    from chibo.orgs.models import OrgKind

    kind = OrgKind.objects.get(code="chi_bo_truc_thuoc")
    with pytest.raises(NotFound):
        services.org_create(
            actor=world.commune_secretary, parent=world.commune_a, code="X", name="X", kind=kind
        )
    created = services.org_create(
        actor=world.officer, parent=world.commune_a, code="X", name="Chi bộ X", kind=kind
    )
    assert created.parent == world.commune_a
    assert created.path.startswith(world.commune_a.path)


BOARD, TEAM, BCH = Body.Kind.ORGANIZATION_BOARD, Body.Kind.TEAM, Body.Kind.EXECUTIVE_COMMITTEE
SECRETARY, DEPUTY, MEMBER = (
    Position.Role.SECRETARY,
    Position.Role.DEPUTY_SECRETARY,
    Position.Role.MEMBER,
)


@pytest.mark.parametrize(
    ("body_kind", "role", "does_own_work", "level", "grants"),
    [
        (BOARD, MEMBER, False, Access.MANAGE, True),
        (BOARD, SECRETARY, True, Access.MANAGE, True),
        (TEAM, Position.Role.TEAM_MEMBER, False, Access.READ, True),
        (None, SECRETARY, True, Access.ACT, True),
        (BCH, DEPUTY, True, Access.ACT, True),
        (None, SECRETARY, False, Access.READ, False),
        (BCH, MEMBER, True, Access.READ, False),
        (None, MEMBER, False, Access.READ, False),
    ],
)
def test_which_posts_grant_scope(
    body_kind: str | None, role: str, does_own_work: bool, level: Access, grants: bool
) -> None:
    post = {"body_kind": body_kind, "role": role, "does_own_work": does_own_work}
    assert post_level(**post) == level
    assert post_grants_scope(**post) is grants
    assert body_grants_scope(body_kind) is (body_kind in {BOARD, TEAM})


def test_allows_path_answers_as_allows_for_the_organization_at_that_path(world: World) -> None:
    scope = scope_for(world.commune_secretary)
    for organization in (world.commune_a, world.cell_a, world.commune_b, world.district):
        for level in Access:
            assert scope.allows_path(organization.path, level) == scope.allows(organization, level)
    assert scope.allows_path(world.cell_a.path, Access.ACT)
    assert not scope.allows_path(world.commune_b.path, Access.READ)
