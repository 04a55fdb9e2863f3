"""`chibo schedule_setup`: create or correct the worker's daily schedule (safe to rerun)."""

from typing import Any

from django.core.management.base import BaseCommand

from chibo.core import schedules
from chibo.plans import reminders


class Command(BaseCommand):
    help = (
        "Create or correct the background worker's schedule: the deadline reminders every day "
        "at 07:00 local time, and what other apps register (the removal of old document "
        "files). Run it after migrate; running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        schedule, created = reminders.reminder_schedule_setup()
        self.stdout.write(schedules.describe(schedule, created, "the daily deadline reminders"))
        for setup in schedules.SETUPS:
            self.stdout.write(setup())
