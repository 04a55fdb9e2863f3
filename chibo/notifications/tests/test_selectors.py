import pytest

from chibo.core.errors import NotFound
from chibo.notifications import selectors
from chibo.notifications.tests.factories import send
from conftest import World

pytestmark = pytest.mark.django_db


def test_get_finds_the_actors_own(world: World) -> None:
    notification = send(world.commune_secretary)
    found = selectors.notification_get(
        actor=world.commune_secretary, notification_id=notification.pk
    )
    assert found == notification


@pytest.mark.parametrize("whose", ["another", "missing"])
def test_get_answers_not_found_alike(world: World, whose: str) -> None:
    notification = send(world.commune_secretary)
    notification_id = notification.pk if whose == "another" else notification.pk + 1000
    with pytest.raises(NotFound) as raised:
        selectors.notification_get(actor=world.outsider, notification_id=notification_id)
    assert str(raised.value) == str(NotFound())


def test_unread_count_is_the_actors_own(world: World) -> None:
    send(world.commune_secretary, key="a")
    send(world.commune_secretary, key="b")
    send(world.outsider, key="a")
    assert selectors.notification_unread_count(actor=world.commune_secretary) == 2
    assert selectors.notification_unread_count(actor=world.nobody) == 0
