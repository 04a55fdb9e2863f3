import logging
from collections.abc import Sequence
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from chibo.core.errors import NotFound
from chibo.notifications import services
from chibo.notifications.models import Notification
from chibo.notifications.tests.factories import send
from conftest import World

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("mail server down")


def _send(world: World, key: str = "meeting:7") -> list[Notification]:
    return services.notification_send(
        recipients=[world.commune_secretary, world.cell_secretary],
        key=key,
        title="Họp chi bộ ngày 10/3",
        body="Chi bộ bản Một họp lúc 8 giờ.",
        url="/plans/7/",
    )


def test_send_creates_one_notification_per_recipient(world: World) -> None:
    created = _send(world)
    assert [(n.recipient, n.key, n.title) for n in created] == [
        (world.commune_secretary, "meeting:7", "Họp chi bộ ngày 10/3"),
        (world.cell_secretary, "meeting:7", "Họp chi bộ ngày 10/3"),
    ]
    assert Notification.objects.count() == 2


def test_sending_the_same_key_again_creates_nothing(world: World) -> None:
    _send(world)
    again = services.notification_send(
        recipients=[world.commune_secretary, world.officer],
        key="meeting:7",
        title="Họp chi bộ ngày 10/3",
        body="",
    )
    assert [n.recipient for n in again] == [world.officer]
    assert Notification.objects.filter(recipient=world.commune_secretary).count() == 1


def test_email_goes_after_commit_to_account_or_person_address(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.commune_secretary.email = "bithu.an@example.org"
    world.commune_secretary.save()
    assert world.cell_secretary.person is not None
    world.cell_secretary.person.email = "bithu.banmot@example.org"
    world.cell_secretary.person.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send(world)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["bithu.an@example.org"], "Họp chi bộ ngày 10/3"),
        (["bithu.banmot@example.org"], "Họp chi bộ ngày 10/3"),
    ]
    link = str(services.EMAIL_LINK).format(url="http://127.0.0.1:8000/plans/7/")
    assert mail.outbox[0].body == f"Chi bộ bản Một họp lúc 8 giờ.\n\n{link}"
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_recipient_without_address_gets_the_inbox_only(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _send(world)
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


@override_settings(EMAIL_BACKEND="chibo.notifications.tests.test_services.RefusingBackend")
def test_mail_server_down_keeps_the_notification_unemailed(
    world: World, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    world.commune_secretary.email = "bithu.an@example.org"
    world.commune_secretary.save()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        _send(world)
    assert Notification.objects.count() == 2
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 0
    emailed = Notification.objects.get(recipient=world.commune_secretary)
    assert [record.getMessage() for record in caplog.records] == [
        f"Could not email notification {emailed.pk}"
    ]


def test_mark_read_stamps_once(world: World) -> None:
    notification = send(world.commune_secretary)
    services.notification_mark_read(actor=world.commune_secretary, notification=notification)
    first = notification.read_at
    assert first is not None
    services.notification_mark_read(actor=world.commune_secretary, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at == first


def test_nobody_marks_another_persons_notification(world: World) -> None:
    notification = send(world.commune_secretary)
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=world.outsider, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_the_actors_own(world: World) -> None:
    send(world.commune_secretary, key="a")
    send(world.commune_secretary, key="b")
    send(world.outsider, key="a")
    assert services.notification_mark_all_read(actor=world.commune_secretary) == 2
    assert list(
        Notification.objects.filter(read_at__isnull=True).values_list("recipient", flat=True)
    ) == [world.outsider.pk]
