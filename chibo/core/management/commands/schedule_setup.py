"""`chibo schedule_setup`: create or correct the worker's recurring jobs (safe to rerun)."""

from typing import Any

from django.core.management.base import BaseCommand

from chibo.core import schedules


class Command(BaseCommand):
    help = (
        "Create or correct the background worker's schedule: every recurring job the apps "
        "register (the deadline reminders every day at 07:00 local time, the nightly removal "
        "of old files). Run it after migrate; running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for setup in schedules.SETUPS:
            self.stdout.write(setup())
