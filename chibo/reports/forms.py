from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.reports import selectors


class ProgressFilterForm(forms.Form):
    """The dashboard's filters, read from the query string; bad values fall back to none."""

    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    status = forms.ChoiceField(
        required=False,
        choices=[("", _("All states")), *selectors.STATES],
        label=_("Registration"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    area = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label=_("Area"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in selectors.SORTS], label=_("Sort")
    )

    def __init__(self, *args: object, areas: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].choices = [("", _("All areas")), *areas]  # type: ignore[attr-defined]

    def filters(self) -> selectors.ProgressFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.ProgressFilters(
            status=data.get("status") or "",
            area=data.get("area"),
            overdue=bool(data.get("overdue")),
            search=data.get("q") or "",
            sort=data.get("sort") or "name",
        )
