from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.insights import periods
from polku.insights.indicators import TARGETABLE
from polku.insights.scopes import Scope

MONTHS = [(m, str(m)) for m in range(1, 13)]
QUARTERS = [(q, f"Q{q}") for q in range(1, 5)]


class FiguresForm(forms.Form):
    """The scope and period of the dashboard (a GET form: every choice is in the address)."""

    scope = forms.ChoiceField(label=_("Scope"))
    period = forms.ChoiceField(label=_("Period"), choices=periods.KINDS, initial="year")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTHS, coerce=int, required=False)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: Any, *, scopes: list[Scope]) -> None:
        today = timezone.localdate()
        initial = {
            "scope": scopes[0].key if scopes else "",
            "period": "year",
            "year": today.year,
            "month": today.month,
            "quarter": (today.month - 1) // 3 + 1,
        }
        merged = {**initial, **{k: v for k, v in data.items() if v not in ("", None)}}
        super().__init__(merged)
        choices = [(scope.key, scope.label) for scope in scopes]
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period")
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("A custom period needs both its first and last day."))
            if end < start:
                raise forms.ValidationError(_("The end date cannot be before the start date."))
            if (end - start).days > 366 * 10:
                raise forms.ValidationError(_("Choose a period of at most ten years."))
        elif kind == "month" and not data.get("month"):
            self.add_error("month", _("Choose the month."))
        elif kind == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter."))
        return data

    def chosen_period(self) -> periods.Period:
        data = self.cleaned_data
        kind = data["period"]
        if kind == "month":
            return periods.month(data["year"], data["month"])
        if kind == "quarter":
            return periods.quarter(data["year"], data["quarter"])
        if kind == "custom":
            return periods.custom(data["start"], data["end"])
        return periods.year(data["year"])


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=list(TARGETABLE.items()))
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.IntegerField(label=_("Target"), min_value=1, max_value=10_000_000)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: date | None = data.get("starts_on")
        ends: date | None = data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data


class CostForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, data: Any) -> None:
        super().__init__({"year": timezone.localdate().year, **{k: v for k, v in data.items() if v}})
