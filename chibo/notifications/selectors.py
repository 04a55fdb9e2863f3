"""Reads of notifications: a user sees their own and nobody else's."""

from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

from django.db.models import QuerySet

from chibo.accounts.models import User
from chibo.core.errors import NotFound
from chibo.notifications.models import Notification

# Keeps every `IN (...)` list under the database's limit on query parameters.
CHUNK_SIZE = 500

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def notification_list(*, actor: User) -> QuerySet[Notification]:
    """The actor's notifications, newest first."""
    return Notification.objects.filter(recipient_id=actor.pk).order_by("-created_at", "-pk")


def notification_unread_count(*, actor: User) -> int:
    """How many of the actor's notifications are unread (one COUNT query)."""
    return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).count()


def notification_get(*, actor: User, notification_id: int) -> Notification:
    """One of the actor's notifications; anybody else's is NotFound, like a missing one."""
    notification = Notification.objects.filter(pk=notification_id, recipient_id=actor.pk).first()
    if notification is None:
        raise NotFound()
    return notification


def notification_pairs_existing(*, keys: Collection[str]) -> set[tuple[int, str]]:
    """(recipient id, key) of the notifications already made for these keys.

    For system jobs that must not send a message twice; no user reaches this.
    """
    ordered = sorted(set(keys))
    found: set[tuple[int, str]] = set()
    for part in chunks(ordered):
        rows = Notification.objects.filter(key__in=part).values_list("recipient_id", "key")
        found.update(rows)
    return found
