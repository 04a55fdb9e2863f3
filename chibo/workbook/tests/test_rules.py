import pytest

from chibo.accounts.models import User
from chibo.orgs.models import Position
from chibo.orgs.scope import Access
from chibo.orgs.tests.factories import PersonFactory, give_post
from chibo.workbook import rules
from conftest import World

pytestmark = pytest.mark.django_db


def paths(user: User) -> list[str]:
    return rules.import_scope(user).paths(Access.MANAGE)


def test_the_organization_board_imports_under_its_committee(world: World) -> None:
    assert paths(world.officer) == [world.district.path]


def test_a_commune_secretary_imports_under_the_commune(world: World) -> None:
    assert paths(world.commune_secretary) == [world.commune_a.path]
    deputy = PersonFactory(home_cell=world.cell_b)
    give_post(deputy, world.commune_b, Position.Role.DEPUTY_SECRETARY)
    user = User.objects.create_user(username="deputy", password="pw-123456", person=deputy)
    assert paths(user) == [world.commune_b.path]


@pytest.mark.parametrize("who", ["cell_secretary", "overseer", "nobody"])
def test_cell_secretaries_and_readers_import_nowhere(world: World, who: str) -> None:
    user = getattr(world, who)
    assert paths(user) == []
    assert rules.can_import(user) is False


def test_superusers_and_the_system_import_anywhere(world: World) -> None:
    admin = User.objects.create_superuser(username="root", password="pw-123456")
    assert rules.import_scope(admin).unrestricted
    assert rules.import_scope(None).unrestricted
