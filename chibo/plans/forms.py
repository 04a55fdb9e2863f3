"""HTML input of plans and registrations, turned into clean data for the services.

The forms check only the shape of the input (types, required fields, formats); every rule of a
registration (own open cells, the quota's meeting types, the due window) is the service's, so a
page and the API refuse the same things with the same message.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import LOCAL_TZ
from chibo.orgs.models import Organization
from chibo.plans.models import MeetingType, Plan, RegistrationItem, ReportingDuty, Target
from chibo.plans.services import ItemData, PlanEdit

# The years a plan may be copied to: the API accepts the same range.
COPY_YEAR_MIN = 2000
COPY_YEAR_MAX = 2100
# A registration row per chosen cell; no quota asks for more cells than this.
ROWS_MAX = 50


class PlanCopyForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=COPY_YEAR_MIN,
        max_value=COPY_YEAR_MAX,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )


def _date_field(label: Any) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    return forms.DateField(label=label, widget=widget)


class PlanEditForm(forms.Form):
    """A draft's number, date, place, title, signer, and each window and deadline by id."""

    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    issued_on = _date_field(_("Date"))
    place = forms.CharField(
        label=_("Place"), max_length=120, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    title = forms.CharField(
        label=_("Title of the plan"),
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    signer_name = forms.CharField(
        label=_("Signer"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "number": plan.number,
                "issued_on": plan.issued_on,
                "place": plan.place,
                "title": plan.title,
                "signer_title": plan.signer_title,
                "signer_name": plan.signer_name,
            },
        )
        super().__init__(*args, **kwargs)
        self.targets = list(plan.targets.select_related("organization").order_by("order", "pk"))
        self.duties = list(plan.reporting_duties.order_by("order", "pk"))
        for target in self.targets:
            self.fields[f"start_{target.pk}"] = _date_field(_("From"))
            self.fields[f"end_{target.pk}"] = _date_field(_("Until"))
            self.initial.setdefault(f"start_{target.pk}", target.window_start)
            self.initial.setdefault(f"end_{target.pk}", target.window_end)
        for duty in self.duties:
            self.fields[f"deadline_{duty.pk}"] = _date_field(_("Deadline"))
            self.initial.setdefault(f"deadline_{duty.pk}", duty.deadline)

    def target_rows(self) -> list[tuple[Target, Any, Any]]:
        return [(t, self[f"start_{t.pk}"], self[f"end_{t.pk}"]) for t in self.targets]

    def duty_rows(self) -> list[tuple[ReportingDuty, Any]]:
        return [(d, self[f"deadline_{d.pk}"]) for d in self.duties]

    def edit(self) -> PlanEdit:
        data = self.cleaned_data
        return PlanEdit(
            number=data["number"],
            issued_on=data["issued_on"],
            place=data["place"],
            title=data["title"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            windows={t.pk: (data[f"start_{t.pk}"], data[f"end_{t.pk}"]) for t in self.targets},
            deadlines={d.pk: data[f"deadline_{d.pk}"] for d in self.duties},
        )


class ReviewForm(forms.Form):
    """The Organization Board's comment on a registration; a return needs one (a service rule)."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class RegistrationItemForm(forms.Form):
    """One row: a cell, its meeting type, the proposed local date, time and venue."""

    # Any id passes here: the service tells which cell is not the committee's own.
    cell = forms.IntegerField(label=_("Cell"), widget=forms.Select(attrs={"class": "form-select"}))
    meeting_type = forms.CharField(
        label=_("Meeting type"), max_length=16, widget=forms.Select(attrs={"class": "form-select"})
    )
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
    )
    # Required only in the browser: past it, the service names the cell whose venue is missing.
    venue = forms.CharField(
        label=_("Venue"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "required": True}),
    )

    def __init__(
        self,
        *args: Any,
        cells: list[tuple[int, str]],
        meeting_types: list[tuple[str, str]],
        window: tuple[dt.date, dt.date] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if window is not None:
            # The phone's date picker opens inside the plan's window; the service still checks.
            attrs = self.fields["day"].widget.attrs
            attrs["min"], attrs["max"] = (day.isoformat() for day in window)
        cast(forms.Select, self.fields["cell"].widget).choices = [
            ("", _("Choose a cell")),
            *cells,
        ]
        cast(forms.Select, self.fields["meeting_type"].widget).choices = [
            ("", _("Choose a type")),
            *meeting_types,
        ]

    def item(self) -> ItemData:
        data = self.cleaned_data
        starts_at = dt.datetime.combine(data["day"], data["time"], tzinfo=LOCAL_TZ)
        return ItemData(
            cell_id=data["cell"],
            meeting_type=data["meeting_type"],
            starts_at=starts_at,
            venue=data["venue"],
        )


# BaseFormSet is generic only to the type checker (no runtime subscript without django-stubs-ext).
if TYPE_CHECKING:
    _ItemFormSet = forms.BaseFormSet[RegistrationItemForm]
else:
    _ItemFormSet = forms.BaseFormSet


class RegistrationFormSet(_ItemFormSet):
    """Exactly as many rows as the target asks cells: every row is required."""

    form = RegistrationItemForm
    extra = 0
    can_order = False
    can_delete = False
    can_delete_extra = False
    validate_min = True
    validate_max = True
    absolute_max = ROWS_MAX
    renderer = None

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        target: Target,
        cells: Iterable[Organization],
        items: Iterable[RegistrationItem] = (),
    ) -> None:
        self.min_num = self.max_num = min(target.count, ROWS_MAX)
        initial = [_initial(item) for item in items]
        if not initial:
            # A new list starts with the quota's types in order, one per row.
            initial = [{"meeting_type": value} for value in target.meeting_types][: target.count]
        initial += [{} for _row in range(target.count - len(initial))]
        form_kwargs = {
            "cells": [(cell.pk, cell.name) for cell in cells],
            "meeting_types": [(value, MeetingType(value).label) for value in target.meeting_types],
            "window": (target.window_start, target.window_end),
        }
        super().__init__(data, initial=initial, prefix="items", form_kwargs=form_kwargs)

    def items(self) -> list[ItemData]:
        return [form.item() for form in self.forms]


def _initial(item: RegistrationItem) -> dict[str, Any]:
    local = timezone.localtime(item.starts_at, LOCAL_TZ)
    return {
        "cell": item.cell_id,
        "meeting_type": item.meeting_type,
        "day": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "venue": item.venue,
    }
