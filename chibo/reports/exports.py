"""Spreadsheets of the roll-ups."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from unidecode import unidecode

from chibo.core.xlsx import table_xlsx, yes_no
from chibo.plans.models import Plan
from chibo.reports import selectors


def progress_filename(plan: Plan) -> str:
    """ "tien-do-332-KH-HU-2025.xlsx", whichever page it is downloaded from."""
    symbol = unidecode(plan.number_symbol).replace("/", "-")
    return f"tien-do-{symbol}-{plan.year}.xlsx"


def progress_xlsx(rows: Iterable[Any]) -> bytes:
    """The dashboard's rows (from selectors.progress_rows) as one sheet, overdue rows in red."""
    labels = dict(selectors.STATES)
    table: list[list[Any]] = []
    red: list[int] = []
    for index, row in enumerate(selectors.progress_attach_counts(rows)):
        registration = getattr(row, "registration", None)
        parent = row.organization.parent
        table.append(
            [
                row.organization.name,
                parent.name if parent else "",
                str(labels.get(row.registration_state, row.registration_state)),
                yes_no(registration.on_time if registration else None),
                registration.first_submitted_at if registration else None,
                row.target.count,
                row.meetings_scheduled,
                row.meetings_held,
                row.meetings_evaluated,
                row.meetings_with_lessons,
                yes_no(row.is_overdue),
            ]
        )
        if row.is_overdue:
            red.append(index)
    return table_xlsx(
        title=_("Progress"),
        headers=[
            _("Organization"),
            _("Area"),
            _("Registration"),
            _("On time"),
            _("First sent"),
            _("Meetings expected"),
            _("Meetings scheduled"),
            _("Meetings held"),
            _("Meetings evaluated"),
            _("Meetings with lessons learned"),
            _("Overdue"),
        ],
        rows=table,
        red_rows=red,
    )
