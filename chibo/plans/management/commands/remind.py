"""`chibo remind [--dry-run] [--today YYYY-MM-DD]`: send today's deadline reminders now."""

import argparse
import datetime as dt
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chibo.accounts.models import User
from chibo.core.dates import format_date, local_today
from chibo.plans import reminders


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        message = f"must be a date as YYYY-MM-DD, not {text!r}"
        raise argparse.ArgumentTypeError(message) from error


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _when(offset: int) -> str:
    if offset == 0:
        return "on the last day"
    return f"{_count(abs(offset), 'day', 'days')} {'before' if offset > 0 else 'after'}"


def _who(user: User) -> str:
    name = user.person.full_name if user.person else user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class Command(BaseCommand):
    help = (
        "Send the deadline reminders due today to the secretaries of committees that have not "
        "sent what a plan asks; each reminder reaches each person once. The worker runs this "
        "every morning."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be sent, and send nothing"
        )
        parser.add_argument(
            "--today", type=_day, default=None, help="act as if today were this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: dt.date = options["today"] or local_today()
        dry_run: bool = options["dry_run"]
        try:
            sent = reminders.reminders_send(today=today, dry_run=dry_run)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        for reminder in sent:
            who = ", ".join(_who(user) for user in reminder.recipients)
            self.stdout.write(
                f"{reminder.plan.number_symbol} · {reminder.organization.name} · "
                f"{_when(reminder.offset)} (last day {format_date(reminder.last_day)}) → {who}"
            )
        people = sum(len(reminder.recipients) for reminder in sent)
        summary = (
            f"{_count(len(sent), 'reminder', 'reminders')} to "
            f"{_count(people, 'person', 'people')} on {format_date(today)}"
        )
        if dry_run:
            self.stdout.write(f"Dry run: would send {summary}; nothing was written.")
        else:
            self.stdout.write(f"Sent {summary}.")
