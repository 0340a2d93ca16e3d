from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from polku.core import limits
from polku.intake import reading_formats, services


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registry extract"),
        help_text=_(
            "A CSV file (UTF-8, comma or semicolon) or an Excel workbook (XLSX) with the documented columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            reading_formats.check_size(upload.size, services.max_bytes())  # by its size, before reading it
        except reading_formats.Rejected as rejected:
            raise forms.ValidationError(rejected.problems[0].reason) from None
        return upload


class NotRelevantForm(forms.Form):
    reason = limits.BoundedCharField(
        label=_("Reason"),
        min_length=5,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: already a client of the wellbeing services county's rehabilitation."),
    )


class ContactedForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("We have reached the person and they want to work with us"), required=True
    )
