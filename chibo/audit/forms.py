"""HTML input for the audit list's filters."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.audit.selectors import AuditFilter

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class AuditFilterForm(forms.Form):
    person = forms.TypedChoiceField(
        label=_("Changed by"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    q = forms.CharField(label=_("Object"), required=False, max_length=100, strip=True)
    date_from = forms.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS)
    date_to = forms.DateField(label=_("Until"), required=False, input_formats=DATE_FORMATS)

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        kinds: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone = [("", _("Everyone"))]
        person = cast(forms.TypedChoiceField, self.fields["person"])
        person.choices = everyone + [(str(pk), name) for pk, name in people]
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = [("", _("Every kind")), *kinds]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def to_filter(self) -> AuditFilter:
        """The filter the valid fields ask for; a field with an error narrows nothing."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return AuditFilter(
            user_id=data.get("person"),
            kind=data.get("kind") or "",
            search=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
