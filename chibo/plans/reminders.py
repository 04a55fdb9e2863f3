"""Deadline reminders (nhắc hạn): who still owes what, and on which days to tell them.

A committee owes its list and schedule under an obligation until it sends it. On each day that
CHIBO_REMINDER_DAYS names around the duty's last day allowed (7 = seven days before, 0 = on the
day, -1 = one day after), the secretary and deputy secretaries of every committee that has not
sent yet get a notification in chibo and by email. The notification key names the obligation
and the day, so a second run, on the same day or later, sends nothing again.
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_q.models import Schedule  # type: ignore[import-untyped]

from chibo.accounts.models import User
from chibo.core import schedules
from chibo.core.dates import DeadlineKind, format_date, local_today
from chibo.notifications import selectors as notification_selectors
from chibo.notifications import services as notification_services
from chibo.notifications.services import NotificationMessage
from chibo.orgs.models import Organization
from chibo.plans import selectors
from chibo.plans.models import Obligation, Plan, Registration, ReportingDuty

logger = logging.getLogger(__name__)

# Registrations in these states have not reached the issuer: their committee still owes.
PENDING_STATUSES = (Registration.Status.DRAFT, Registration.Status.RETURNED)
# Long free text in a duty would make the title unreadable (and too long for its column).
WHAT_MAX_CHARS = 100

REMINDER_DAYS_INVALID = "CHIBO_REMINDER_DAYS must be whole numbers separated by commas, not {!r}"

REMINDER_TITLE_BEFORE = _("Reminder: send {what} for plan {plan} by {date}")
REMINDER_TITLE_ON_THE_DAY = _("Today is the last day to send {what} for plan {plan}")
REMINDER_TITLE_AFTER = _("Overdue: {what} for plan {plan} was due by {date}")
REMINDER_BODY = _("{organization} has not sent {what} for plan {plan} ({title}) yet.")
REMINDER_BODY_RETURNED = _("It was returned for correction: {comment}")
REMINDER_BODY_ON_THE_DAY = _("The last day is today, {date}.")

SCHEDULE_NAME = "chibo: deadline reminders"
SCHEDULE_TASK = "chibo.plans.tasks.reminders_run_daily"
SCHEDULE_TIME = dt.time(7, 0)


@dataclasses.dataclass(frozen=True)
class PlannedReminder:
    """One reminder about one obligation on one day, and the people it goes to."""

    obligation: Obligation
    offset: int  # days before the last day allowed; negative after it
    last_day: dt.date
    key: str
    title: str
    body: str
    url: str
    recipients: tuple[User, ...]

    @property
    def plan(self) -> Plan:
        return self.obligation.target.plan

    @property
    def organization(self) -> Organization:
        return self.obligation.organization


def reminder_offsets() -> tuple[int, ...]:
    """The days of CHIBO_REMINDER_DAYS, earliest reminder first, read when called."""
    raw = settings.CHIBO_REMINDER_DAYS
    parts = raw.split(",") if isinstance(raw, str) else [str(part) for part in raw]
    try:
        offsets = {int(part) for part in parts if part.strip()}
    except ValueError as error:
        raise ImproperlyConfigured(REMINDER_DAYS_INVALID.format(raw)) from error
    return tuple(sorted(offsets, reverse=True))


def reminder_key(obligation: Obligation, offset: int) -> str:
    return f"reminder:obligation:{obligation.pk}:{offset}"


def _obligations_due(today: dt.date, offsets: tuple[int, ...]) -> list[tuple[Obligation, int]]:
    """Obligations still owed whose last day lies one of `offsets` days from today (one query)."""
    last_days = [today + dt.timedelta(days=offset) for offset in offsets]
    # The last day allowed is the deadline itself, or the day before for "trước ngày".
    by_end = Q(duty__deadline_kind=DeadlineKind.BY_END.value, duty__deadline__in=last_days)
    before = Q(
        duty__deadline_kind=DeadlineKind.BEFORE.value,
        duty__deadline__in=[day + dt.timedelta(days=1) for day in last_days],
    )
    obligations = (
        Obligation.objects.filter(by_end | before, target__plan__status=Plan.Status.ISSUED)
        .filter(Q(registration__isnull=True) | Q(registration__status__in=PENDING_STATUSES))
        .filter(Q(organization__valid_to__isnull=True) | Q(organization__valid_to__gte=today))
        .select_related("organization", "duty", "target__plan", "registration")
        .order_by("duty__deadline", "target__plan_id", "organization__sort_key", "pk")
    )
    due: list[tuple[Obligation, int]] = []
    for obligation in obligations:
        duty = cast(ReportingDuty, obligation.duty)  # the filter is on its deadline
        offset = (duty.last_day - today).days
        if offset in offsets:
            due.append((obligation, offset))
    return due


def _message(obligation: Obligation, offset: int, last_day: dt.date) -> tuple[str, str]:
    """The title and body of a reminder, in the active language."""
    plan = obligation.target.plan
    duty = cast(ReportingDuty, obligation.duty)  # only obligations with a deadline are reminded of
    what = Truncator(duty.what).chars(WHAT_MAX_CHARS)
    words = {"what": what, "plan": plan.number_symbol, "date": format_date(last_day)}
    if offset > 0:
        title = str(REMINDER_TITLE_BEFORE).format(**words)
        when = ngettext(
            "The last day is {date}, {days} day from now.",
            "The last day is {date}, {days} days from now.",
            offset,
        ).format(date=words["date"], days=offset)
    elif offset == 0:
        title = str(REMINDER_TITLE_ON_THE_DAY).format(**words)
        when = str(REMINDER_BODY_ON_THE_DAY).format(date=words["date"])
    else:
        title = str(REMINDER_TITLE_AFTER).format(**words)
        when = ngettext(
            "The last day was {date}, {days} day ago.",
            "The last day was {date}, {days} days ago.",
            -offset,
        ).format(date=words["date"], days=-offset)
    sentences = [
        str(REMINDER_BODY).format(
            organization=obligation.organization.name, title=plan.title, **words
        )
    ]
    registration = obligation.registration_or_none
    if registration is not None and registration.status == Registration.Status.RETURNED:
        comment = registration.review_comment.strip()
        sentences.append(str(REMINDER_BODY_RETURNED).format(comment=comment))
    sentences.append(when)
    return title, " ".join(sentences)


def _planned(today: dt.date, offsets: tuple[int, ...]) -> list[PlannedReminder]:
    due = _obligations_due(today, offsets)
    people = selectors.committee_secretary_users(
        (obligation.organization_id for obligation, _offset in due), today
    )
    planned: list[PlannedReminder] = []
    for obligation, offset in due:
        last_day = today + dt.timedelta(days=offset)
        title, body = _message(obligation, offset, last_day)
        planned.append(
            PlannedReminder(
                obligation=obligation,
                offset=offset,
                last_day=last_day,
                key=reminder_key(obligation, offset),
                title=title,
                body=body,
                url=reverse("plans:plan_detail", args=[obligation.target.plan_id]),
                recipients=tuple(people.get(obligation.organization_id, [])),
            )
        )
    return planned


def _keep(
    planned: list[PlannedReminder], is_new: Callable[[int, str], bool]
) -> list[PlannedReminder]:
    """Each reminder with only the people it is new for; reminders left with nobody go."""
    kept: list[PlannedReminder] = []
    for reminder in planned:
        recipients = tuple(user for user in reminder.recipients if is_new(user.pk, reminder.key))
        if recipients:
            kept.append(dataclasses.replace(reminder, recipients=recipients))
    return kept


@transaction.atomic
def reminders_send(*, today: dt.date | None = None, dry_run: bool = False) -> list[PlannedReminder]:
    """Send the deadline reminders due today (local date), each to each person once.

    Returns what was sent now, or with `dry_run` what would be, writing nothing. The number of
    queries does not grow with the number of obligations.
    """
    day = today or local_today()
    offsets = reminder_offsets()
    # Messages are stored for people, so they are written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        planned = _planned(day, offsets)
    for reminder in planned:
        if not reminder.recipients:
            logger.warning(
                "No account to remind for %s under plan %s (%s)",
                reminder.organization.name,
                reminder.plan.number_symbol,
                reminder.key,
            )
    if dry_run:
        existing = notification_selectors.notification_pairs_existing(
            keys=[reminder.key for reminder in planned]
        )
        return _keep(planned, lambda user_id, key: (user_id, key) not in existing)
    created = notification_services.notification_send_many(
        messages=[
            NotificationMessage(
                recipients=reminder.recipients,
                key=reminder.key,
                title=reminder.title,
                body=reminder.body,
                url=reminder.url,
            )
            for reminder in planned
        ]
    )
    sent = {(notification.recipient_id, notification.key) for notification in created}
    return _keep(planned, lambda user_id, key: (user_id, key) in sent)


@transaction.atomic
def reminder_schedule_line() -> str:
    """`chibo schedule_setup`'s line for the reminders (registered in PlansConfig.ready)."""
    schedule, created = reminder_schedule_setup()
    return schedules.describe(schedule, created, "the daily deadline reminders")


def reminder_schedule_setup() -> tuple[Schedule, bool]:
    """Create or correct the worker's daily run of the reminders at 07:00 local time.

    A new schedule is due at 07:00 today, so a worker started later in the day sends today's
    reminders at once; sending twice is harmless.
    """
    return schedules.daily_schedule_ensure(
        name=SCHEDULE_NAME, func=SCHEDULE_TASK, at=SCHEDULE_TIME, first_run_today=True
    )
