"""The worker's recurring jobs, from every app, set up by one command.

Each app registers a function that creates or corrects its own django-q2 schedule (safe to
rerun) and says in one line what it did; `chibo schedule_setup` runs them all, so the command
needs to know no app below it.
"""

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django_q.models import Schedule  # type: ignore[import-untyped]

from chibo.core.dates import LOCAL_TZ, local_today

ScheduleSetup = Callable[[], str]

SETUPS: list[ScheduleSetup] = []


def register(setup: ScheduleSetup) -> ScheduleSetup:
    if setup not in SETUPS:
        SETUPS.append(setup)
    return setup


@transaction.atomic
def daily_schedule_ensure(
    *, name: str, func: str, at: dt.time, first_run_today: bool = False
) -> tuple[Schedule, bool]:
    """Create or correct the daily django-q2 schedule `name`: `func` every day at `at` local time.

    Returns the schedule and whether it was created. Anything edited by hand (hook, cron,
    arguments, another cluster) is put back; duplicates are removed; a schedule already due at
    the right time keeps its next run. A new one runs first today (`first_run_today`, for work
    that must not wait a day, such as reminders) or tomorrow.
    """
    schedules = list(Schedule.objects.filter(name=name).order_by("pk"))
    schedule = schedules[0] if schedules else Schedule(name=name)
    for duplicate in schedules[1:]:
        duplicate.delete()
    next_run = schedule.next_run if schedule.pk else None
    if next_run is None or next_run.astimezone(LOCAL_TZ).time() != at:
        first_day = local_today() if first_run_today else local_today() + dt.timedelta(days=1)
        schedule.next_run = dt.datetime.combine(first_day, at, tzinfo=LOCAL_TZ)
    schedule.func = func
    schedule.schedule_type = Schedule.DAILY
    schedule.repeats = -1
    schedule.args = None
    schedule.kwargs = None
    schedule.hook = None
    schedule.cron = None
    schedule.minutes = None
    schedule.cluster = None
    schedule.full_clean()
    schedule.save()
    return schedule, not schedules


def describe(schedule: Schedule, created: bool, what: str) -> str:
    """The line `chibo schedule_setup` prints for one schedule."""
    verb = "Scheduled" if created else "Kept"
    when = schedule.next_run.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
    return f"{verb} {what}; next run {when}."
