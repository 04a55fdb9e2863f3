"""HTML input for the organization pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class OrgSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, strip=True)
