from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Unit
from polku.clients.forms import DateInput
from polku.core import limits
from polku.placements.models import (
    HOST_MISSING,
    MAX_DAYS_PER_WEEK,
    MAX_HOURS_PER_DAY,
    MIN_DAYS_PER_WEEK,
    MIN_HOURS_PER_DAY,
    RATED_ASPECTS,
    AttendanceStatus,
    FeedbackStage,
    PlacementKind,
    Rating,
    Recommendation,
)
from polku.placements.services.placement import GoalRow

# The goal rows the placement form shows: the goals kept and two empty rows, at least three.
MIN_GOAL_ROWS, MAX_GOALS = 3, 10

SCHEDULE_HELP = _(
    "Rehabilitative work activity is by law 1–5 days a week and 4–8 hours a day. Polku keeps work trials "
    "within the same limits as a rule of thumb; agree a lighter start inside them."
)


class HostUnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.organisation.name}: {obj.name}"


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlacementKind.choices, widget=forms.RadioSelect)
    host_unit = HostUnitField(
        label=_("Host unit in Polku"),
        queryset=Unit.objects.filter(is_active=True, organisation__is_active=True).select_related(
            "organisation"
        ),
        required=False,
        empty_label=_("Not in Polku (type the host's name below)"),
        help_text=_(
            "Choose the unit if the host works in Polku: its work trial hosts can then enter attendance."
        ),
    )
    host_name = limits.BoundedCharField(
        label=_("Host organisation, if not in Polku"),
        max_length=limits.NAME,
        required=False,
        help_text=_("For example the employer's name as it appears in the agreement."),
    )
    host_unit_name = limits.BoundedCharField(
        label=_("Host's unit or department"), max_length=limits.NAME, required=False
    )
    supervisor_name = limits.BoundedCharField(label=_("Supervisor's name"), max_length=limits.NAME)
    supervisor_email = forms.EmailField(
        label=_("Supervisor's email"), help_text=_("The feedback link is sent to this address.")
    )
    supervisor_phone = limits.BoundedCharField(label=_("Supervisor's phone"), max_length=40, required=False)
    tasks = limits.BoundedCharField(
        label=_("Tasks"), max_length=limits.SUMMARY, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    days_per_week = forms.IntegerField(
        label=_("Days per week"),
        help_text=SCHEDULE_HELP,
        error_messages={"invalid": _("Give the days per week as a whole number, for example 3.")},
    )
    hours_per_day = forms.DecimalField(
        label=_("Hours per day"),
        max_digits=4,
        decimal_places=2,
        help_text=_("Whole or half hours, for example 4 or 5.5."),
        error_messages={"invalid": _("Give the hours per day as a number, for example 4 or 5.5.")},
    )

    def __init__(
        self, *args: Any, goal_rows: int = MIN_GOAL_ROWS, plan_goals: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        """`goal_rows` rows for the placement's goals (text, and the plan goal it serves when the case has
        an agreed plan the worker may read: `plan_goals`, labelled with their current text)."""
        super().__init__(*args, **kwargs)
        self.goal_rows = max(MIN_GOAL_ROWS, min(goal_rows, MAX_GOALS))
        self.plan_goals = {str(goal.public_id): goal for goal in plan_goals}
        choices = [("", _("Not linked")), *((key, goal.text) for key, goal in self.plan_goals.items())]
        for n in range(1, self.goal_rows + 1):
            self.fields[f"goal_{n}"] = limits.BoundedCharField(
                label=_("Goal %(n)s for the placement") % {"n": n},
                max_length=500,
                required=False,
                help_text=_("Leave the rest empty; save and edit to add more.")
                if n == self.goal_rows
                else "",
            )
            if self.plan_goals:
                self.fields[f"goal_{n}_plan_goal"] = forms.ChoiceField(
                    label=_("Goal of the service plan that goal %(n)s serves") % {"n": n},
                    choices=choices,
                    required=False,
                    help_text=_("The host sees only the placement goal's own text, nothing of the plan.")
                    if n == 1
                    else "",
                )

    def clean_days_per_week(self) -> int:
        days: int = self.cleaned_data["days_per_week"]
        if not MIN_DAYS_PER_WEEK <= days <= MAX_DAYS_PER_WEEK:
            raise forms.ValidationError(
                _("Choose from %(min)s to %(max)s days a week.")
                % {"min": MIN_DAYS_PER_WEEK, "max": MAX_DAYS_PER_WEEK}
            )
        return days

    def clean_hours_per_day(self) -> Decimal:
        hours: Decimal = self.cleaned_data["hours_per_day"]
        if not MIN_HOURS_PER_DAY <= hours <= MAX_HOURS_PER_DAY:
            raise forms.ValidationError(
                _("Choose from %(min)s to %(max)s hours a day.")
                % {"min": MIN_HOURS_PER_DAY, "max": MAX_HOURS_PER_DAY}
            )
        if (hours * 2) % 1:
            raise forms.ValidationError(_("Give the hours in whole or half hours, for example 4 or 5.5."))
        return hours.quantize(Decimal("0.1"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        host_unit, host_name = data.get("host_unit"), (data.get("host_name") or "").strip()
        if host_unit is None and not host_name:
            self.add_error("host_name", HOST_MISSING)
        elif host_unit is not None and host_name:
            self.add_error(
                "host_name", _("Either choose a host unit in Polku or type a host's name, not both.")
            )
        for n in range(1, self.goal_rows + 1):
            if data.get(f"goal_{n}_plan_goal") and not (data.get(f"goal_{n}") or "").strip():
                self.add_error(f"goal_{n}", _("Write the goal in the placement's own words, or unlink it."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The placement's fields and its goals; without plan goals on offer a goal keeps its link."""
        data = {key: value for key, value in self.cleaned_data.items() if not key.startswith("goal_")}
        goals: list[str | GoalRow] = []
        for n in range(1, self.goal_rows + 1):
            text = self.cleaned_data.get(f"goal_{n}", "")
            if not text.strip():
                continue
            if self.plan_goals:
                goals.append(
                    GoalRow(text, self.plan_goals.get(self.cleaned_data.get(f"goal_{n}_plan_goal", "")))
                )
            else:
                goals.append(text)
        data["goals"] = goals
        return data


class InterruptForm(forms.Form):
    on = forms.DateField(label=_("Interrupted on"), widget=DateInput())
    reason = limits.BoundedCharField(
        label=_("Reason for the interruption"),
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An interruption cannot be undone; a new placement can be started later."),
    )


class SendFeedbackForm(forms.Form):
    stage = forms.ChoiceField(label=_("Feedback"), choices=FeedbackStage.choices, widget=forms.RadioSelect)
    email = forms.EmailField(
        label=_("Send to"),
        help_text=_("The link works once and expires in %(days)s days. It opens only the feedback form."),
    )

    def __init__(self, *args: Any, link_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = str(self.fields["email"].help_text) % {"days": link_days}


NOT_OBSERVED = "0"


class FeedbackForm(forms.Form):
    """The host's feedback: each aspect rated 1 to 5 or "could not observe", free text, what next."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            *((str(value), label) for value, label in Rating.choices),
            (NOT_OBSERVED, _("Could not observe")),
        ]
        for key, label in RATED_ASPECTS:
            self.fields[f"rating_{key}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a rating, or “Could not observe”.")},
            )
        self.fields["strengths"] = limits.BoundedCharField(
            max_length=limits.PUBLIC_FEEDBACK,
            label=_("Strengths seen during the placement"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )
        self.fields["to_develop"] = limits.BoundedCharField(
            max_length=limits.PUBLIC_FEEDBACK,
            label=_("What could still develop"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )
        self.fields["recommendation"] = forms.ChoiceField(
            label=_("Your recommendation for what next"),
            choices=Recommendation.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose what you would recommend next.")},
        )
        self.fields["recommendation_note"] = limits.BoundedCharField(
            max_length=limits.PUBLIC_FEEDBACK,
            label=_("About the recommendation"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
        )
        self.fields["given_by"] = limits.BoundedCharField(
            label=_("Your name"), max_length=limits.NAME, error_messages={"required": _("Give your name.")}
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("recommendation") == Recommendation.OTHER
            and not (data.get("recommendation_note") or "").strip()
        ):
            self.add_error("recommendation_note", _("Tell briefly what you recommend."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "ratings": {
                key: None if data[f"rating_{key}"] == NOT_OBSERVED else int(data[f"rating_{key}"])
                for key, _label in RATED_ASPECTS
            },
            "strengths": data["strengths"],
            "to_develop": data["to_develop"],
            "recommendation": data["recommendation"],
            "recommendation_note": data["recommendation_note"],
            "given_by": data["given_by"],
        }


class AttendanceWeekForm(forms.Form):
    """One select per day of the week that falls within the placement."""

    def __init__(self, *args: Any, days: list[tuple[date, str | None]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.days = [day for day, _status in days]
        choices = [("", _("Not recorded")), *AttendanceStatus.choices]
        for day, status in days:
            field = forms.ChoiceField(
                label=date_format(day, "l j.n.Y"),
                choices=choices,
                required=False,
                initial=status or "",
                disabled=day > today,
            )
            if day > today:
                field.help_text = _("A day still to come.")
            self.fields[self.key(day)] = field

    @staticmethod
    def key(day: date) -> str:
        return f"day_{day.isoformat()}"

    def changes(self) -> dict[date, str]:
        today = timezone.localdate()
        return {day: self.cleaned_data[self.key(day)] for day in self.days if day <= today}
