"""HTML input of imports: the uploaded workbook."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.xlsx import XLSX_TYPE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )
