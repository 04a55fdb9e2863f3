"""HTML input of documents: which document to make in the background, about what."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.documents import kinds


class JobStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("document"), choices=())
    subject_id = forms.IntegerField(label=_("subject"), min_value=1)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind.code, kind.label) for kind in kinds.KINDS.values()
        ]

    def document_kind(self) -> kinds.DocumentKind:
        """The chosen kind; call after is_valid()."""
        return kinds.KINDS[self.cleaned_data["kind"]]  # the choices are the registry's codes
