"""Writes to notifications: sending each message once per recipient and key, marking read."""

import dataclasses
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from chibo.accounts.models import User
from chibo.core.errors import NotFound
from chibo.notifications import selectors
from chibo.notifications.models import Notification

logger = logging.getLogger(__name__)

EMAIL_LINK = gettext_lazy("Open in chibo: {url}")


@dataclasses.dataclass(frozen=True)
class NotificationMessage:
    """One message for several people; each gets their own notification under `key`."""

    recipients: tuple[User, ...]
    key: str
    title: str
    body: str
    url: str = ""


@dataclasses.dataclass(frozen=True)
class Email:
    notification_id: int
    address: str
    subject: str
    text: str


@transaction.atomic
def notification_send(
    *, recipients: Iterable[User], key: str, title: str, body: str, url: str = ""
) -> list[Notification]:
    """Notify each recipient once per key, in the inbox and by email; repeats create nothing."""
    message = NotificationMessage(tuple(recipients), key, title, body, url)
    return notification_send_many(messages=[message])


@transaction.atomic
def notification_send_many(*, messages: Sequence[NotificationMessage]) -> list[Notification]:
    """Send many messages in a number of queries that does not grow with them.

    Returns only the notifications created now. Emails leave once the transaction commits, over
    one connection; a recipient with no address (on the account or the person) gets the inbox
    only. Two runs at once cannot both create a row: the unique constraint stops the second.
    """
    seen = selectors.notification_pairs_existing(keys=[message.key for message in messages])
    new: list[Notification] = []
    for message in messages:
        for recipient in message.recipients:
            pair = (recipient.pk, message.key)
            if pair in seen:
                continue
            seen.add(pair)
            notification = Notification(
                recipient=recipient,
                key=message.key,
                title=message.title,
                body=message.body,
                url=message.url,
            )
            # The recipient is an object in hand and the constraint is the database's to check:
            # validating either would cost a query per row.
            notification.full_clean(exclude=["recipient"], validate_constraints=False)
            new.append(notification)
    if not new:
        return []
    created = Notification.objects.bulk_create(new, batch_size=selectors.CHUNK_SIZE)
    emails = _emails_for(created)
    if emails:
        transaction.on_commit(lambda: _deliver(emails))
    return created


def _addresses(user_ids: Sequence[int]) -> dict[int, str]:
    addresses: dict[int, str] = {}
    for part in selectors.chunks(user_ids):
        rows = User.objects.filter(pk__in=part).values_list("pk", "email", "person__email")
        for user_id, own, person_email in rows:
            address = (own or person_email or "").strip()
            if address:
                addresses[user_id] = address
    return addresses


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return str(settings.CHIBO_SITE_URL).rstrip("/") + url
    return url


def _emails_for(notifications: Sequence[Notification]) -> list[Email]:
    addresses = _addresses(sorted({notification.recipient_id for notification in notifications}))
    emails: list[Email] = []
    for notification in notifications:
        address = addresses.get(notification.recipient_id)
        if address is None:
            continue
        text = notification.body
        if notification.url:
            link = str(EMAIL_LINK).format(url=_absolute(notification.url))
            text = f"{text}\n\n{link}" if text else link
        # A header cannot hold a line break.
        subject = " ".join(notification.title.split())
        emails.append(Email(notification.pk, address, subject, text))
    return emails


def _deliver(emails: Sequence[Email]) -> None:
    """Send the emails and stamp the notifications that went out; failures are logged only."""
    sent: list[int] = []
    try:
        with get_connection() as connection:
            for email in emails:
                try:
                    send_mail(
                        email.subject, email.text, None, [email.address], connection=connection
                    )
                except OSError:  # smtplib's errors are OSErrors
                    logger.exception("Could not email notification %s", email.notification_id)
                else:
                    sent.append(email.notification_id)
    except OSError:
        logger.exception("Could not reach the mail server: %d emails not sent", len(emails))
    now = timezone.now()
    for part in selectors.chunks(sent):
        Notification.objects.filter(pk__in=part).update(emailed_at=now)


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read; reading it again changes nothing."""
    if notification.recipient_id != actor.pk:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    unread = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    return unread.update(read_at=timezone.now())
