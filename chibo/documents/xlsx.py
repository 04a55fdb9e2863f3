"""Spreadsheets of a plan: the registrations, one row per registered cell."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import models
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from chibo.core.xlsx import table_xlsx, yes_no
from chibo.plans.models import MeetingType, Plan, Registration, RegistrationItem
from chibo.reports import exports as report_exports
from chibo.reports import selectors as report_selectors


def _field_label(name: str) -> str:
    field = cast("models.Field[Any, Any]", RegistrationItem._meta.get_field(name))  # a column
    return str(capfirst(field.verbose_name))


def registrations_xlsx(rows: Iterable[Any]) -> bytes:
    """One row per registration item (a committee without items gets one row of its own), with
    the committee, its area, the registration's state and whether it came on time; rows come
    from `selectors.registration_rows`. Overdue committees are printed in red."""
    states = dict(report_selectors.STATES)
    meeting_types = dict(MeetingType.choices)
    table: list[list[Any]] = []
    red: list[int] = []
    for row in rows:
        registration: Registration | None = getattr(row, "registration", None)
        parent = row.organization.parent
        common = [
            row.organization.name,
            parent.name if parent else "",
            str(states.get(row.registration_state, row.registration_state)),
            yes_no(registration.on_time if registration else None),
            registration.first_submitted_at if registration else None,
        ]
        items: list[RegistrationItem | None] = (
            list(registration.items.all()) if registration else []
        )
        for item in items or [None]:
            if row.is_overdue:
                red.append(len(table))
            if item is None:
                table.append([*common, "", "", None, ""])
                continue
            table.append(
                [
                    *common,
                    item.cell.name,
                    str(meeting_types.get(item.meeting_type, item.meeting_type)),
                    item.starts_at,
                    item.venue,
                ]
            )
    return table_xlsx(
        title=str(capfirst(Registration._meta.verbose_name_plural)),
        headers=[
            _("Organization"),
            _("Area"),
            _("Registration"),
            _("On time"),
            _("First sent"),
            _field_label("cell"),
            _field_label("meeting_type"),
            _field_label("starts_at"),
            _field_label("venue"),
        ],
        rows=table,
        red_rows=red,
    )


def _symbol(plan: Plan) -> str:
    return unidecode(plan.number_symbol).replace("/", "-")


def registrations_filename(plan: Plan) -> str:
    """ "dang-ky-332-KH-HU-2025.xlsx"."""
    return f"dang-ky-{_symbol(plan)}-{plan.year}.xlsx"


def progress_filename(plan: Plan) -> str:
    """ "tien-do-332-KH-HU-2025.xlsx"; the progress page's own download uses the same name."""
    return report_exports.progress_filename(plan)


def invitees_xlsx(rows: Sequence[Sequence[Any]], *, red_rows: Iterable[int] = ()) -> bytes:
    """The people of a meeting: the cell's members, then the invited guests, with why they are
    invited, their letter, their answer and whether they came; rows from
    `meeting_inputs.invitee_rows`, `red_rows` those absent without reason."""
    return table_xlsx(
        title=_("Invitees"),
        headers=[
            _("No."),
            _("Full name"),
            _("Title"),
            _("Taking part as"),
            _("Invited because"),
            _("Letter number"),
            _("Letter issued"),
            _("Answer"),
            _("Reason given"),
            _("Attendance"),
            _("Attendance note"),
        ],
        rows=rows,
        red_rows=red_rows,
    )


def invitees_filename(cell_name: str, day: dt.date | None) -> str:
    """ "moi-du-chi-bo-phong-kinh-te-va-ha-tang-2025-03-12.xlsx"."""
    when = f"-{day:%Y-%m-%d}" if day else ""
    return f"moi-du-{slugify(unidecode(cell_name))}{when}.xlsx"
