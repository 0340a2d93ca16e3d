from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Case
from polku.core import limits


class ActOnNeedForm(forms.Form):
    action = forms.ChoiceField(label=_("What was done"), widget=forms.RadioSelect)
    note = limits.BoundedCharField(
        label=_("Note"), required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, actions: list[tuple[str, object]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objects = dict(actions)
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            (value, _describe(obj)) for value, obj in actions
        ]

    def cleaned_action(self) -> Any:
        return self.objects[self.cleaned_data["action"]]


def _describe(obj: object) -> str:
    if isinstance(obj, Case):
        return str(
            _("The case in %(unit)s, opened %(on)s")
            % {"unit": obj.unit.display_name, "on": date_format(obj.opened_on, "SHORT_DATE_FORMAT")}
        )
    on = date_format(obj.happened_on, "SHORT_DATE_FORMAT")  # type: ignore[attr-defined]
    return str(_("%(kind)s on %(on)s") % {"kind": obj.get_kind_display(), "on": on})  # type: ignore[attr-defined]


class DismissNeedForm(forms.Form):
    reason = limits.BoundedCharField(
        label=_("Reason"),
        min_length=5,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the need was assessed and is already met."),
    )
