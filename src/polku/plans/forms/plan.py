"""Forms of the service plan: the draft's settings, a goal with its GAS levels, an action, the
agreement and the review. Validation messages name what to fix; the services check again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.clients.forms import DateInput
from polku.core import limits
from polku.network.models import Service
from polku.plans.models import (
    ActionStatus,
    AgreementMethod,
    Goal,
    Responsible,
    ReviewDecision,
)

__all__ = [
    "LEVEL_CHOICES",
    "ActionForm",
    "ActionProgressForm",
    "AgreeForm",
    "GoalForm",
    "PlanConfirmForm",
    "PlanSettingsForm",
    "ReviewForm",
]

LEVEL_CHOICES = [
    (-2, _("−2 much less than expected")),
    (-1, _("−1 somewhat less than expected")),
    (0, _("0 the expected outcome")),
    (1, _("+1 somewhat more than expected")),
    (2, _("+2 much more than expected")),
]


def _text(
    label: Any, *, limit: int, required: bool = True, help_text: Any = "", rows: int = 2
) -> forms.CharField:
    return limits.BoundedCharField(
        label=label,
        max_length=limit,
        required=required,
        help_text=help_text,
        strip=False,  # the client's words are stored as typed
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": _("Fill in this field.")},
    )


class PlanSettingsForm(forms.Form):
    summary = _text(
        _("The client's situation and wishes, in their own words"),
        limit=limits.SUMMARY,
        required=False,
        rows=4,
    )
    review_interval_weeks = forms.IntegerField(
        label=_("Review every (weeks)"),
        min_value=1,
        max_value=52,
        help_text=_("For example 8: the plan is reviewed with the client every eight weeks."),
        error_messages={
            "required": _("Give the review rhythm in weeks."),
            "invalid": _("Give the rhythm as a whole number of weeks."),
            "min_value": _("Review at least once a year: 1 to 52 weeks."),
            "max_value": _("Review at least once a year: 1 to 52 weeks."),
        },
    )


class GoalForm(forms.Form):
    text = _text(
        _("Goal in the client's own words"),
        limit=limits.GOAL,
        help_text=_("Write it as the client said it, for example “I want to work part-time in a kitchen”."),
    )
    level_minus_2 = _text(_("−2: much less than expected"), limit=limits.GAS_LEVEL)
    level_minus_1 = _text(_("−1: somewhat less than expected"), limit=limits.GAS_LEVEL)
    level_0 = _text(_("0: the expected outcome"), limit=limits.GAS_LEVEL)
    level_plus_1 = _text(_("+1: somewhat more than expected"), limit=limits.GAS_LEVEL)
    level_plus_2 = _text(_("+2: much more than expected"), limit=limits.GAS_LEVEL)
    baseline_level = forms.TypedChoiceField(
        label=_("Level at the start"),
        choices=LEVEL_CHOICES,
        coerce=int,
        initial=-1,
        error_messages={"required": _("Choose the level at the start.")},
    )
    weight = forms.IntegerField(
        label=_("Weight"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("How much the goal counts in the GAS score, 1 to 10; usually 1 for every goal."),
        error_messages={
            "required": _("Give the weight, usually 1."),
            "invalid": _("The weight is a whole number from 1 to 10."),
            "min_value": _("The weight is a whole number from 1 to 10."),
            "max_value": _("The weight is a whole number from 1 to 10."),
        },
    )

    @classmethod
    def for_goal(cls, goal: Goal | None, data: Any = None) -> GoalForm:
        initial = {f: getattr(goal, f) for f in cls.base_fields} if goal else None
        return cls(data, initial=initial)


class ActionForm(forms.Form):
    what = _text(_("What is done"), limit=limits.GOAL)
    responsible = forms.ChoiceField(
        label=_("Who is responsible"),
        choices=Responsible.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is responsible.")},
    )
    responsible_name = limits.BoundedCharField(
        label=_("Name of the team member or service"),
        max_length=limits.NAME,
        required=False,
        help_text=_("Needed when a team member or an external service is responsible."),
    )
    service = forms.ChoiceField(
        label=_("Service in the catalogue (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service from the list.")},
        help_text=_("Once the plan is agreed, the client can be referred to a catalogue service from here."),
    )
    service_name = limits.BoundedCharField(
        label=_("Other service, not in the catalogue (optional)"), max_length=limits.NAME, required=False
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Give the date as dd.mm.yyyy.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        """`services`: the catalogue's active services (and the action's own, if retired since), shown
        in a select grouped by category."""
        initial = dict(kwargs.pop("initial", None) or {})
        if isinstance(initial.get("service"), Service):
            initial["service"] = str(initial["service"].public_id)
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.services = {str(service.public_id): service for service in services}
        groups: dict[str, list[tuple[str, str]]] = {}
        for service in services:
            groups.setdefault(service.category.name, []).append((str(service.public_id), service.name))
        self.fields["service"].choices = [("", _("None")), *groups.items()]  # type: ignore[attr-defined]

    def clean_service(self) -> Service | None:
        chosen = self.cleaned_data.get("service") or ""
        return self.services[chosen] if chosen else None


class AgreeForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("Agreed on"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the date the plan was agreed."),
            "invalid": _("Give a valid date."),
        },
    )
    method = forms.ChoiceField(
        label=_("How the client agreed"),
        choices=AgreementMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the client agreed the plan.")},
    )
    # The hash of the plan as shown on this page (services.agreement_token): the service refuses to
    # agree content that changed after it was shown.
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].initial = timezone.localdate()


class PlanConfirmForm(forms.Form):
    confirm = forms.CharField(widget=forms.HiddenInput, initial="yes")


class ReviewForm(forms.Form):
    held_on = forms.DateField(
        label=_("Held on"),
        widget=DateInput(),
        error_messages={"required": _("Give the date of the review."), "invalid": _("Give a valid date.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was decided.")},
    )
    notes = _text(_("Notes"), limit=limits.NOTE, required=False, rows=4)

    def __init__(self, *args: Any, goals: list[Goal], responses: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.fields["held_on"].initial = timezone.localdate()
        fields: dict[str, forms.Field] = {}
        for index, goal in enumerate(goals, start=1):
            fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=_("Goal %(number)d: %(goal)s") % {"number": index, "goal": goal.text},
                choices=[(level, f"{label}: {goal.level_text(level)}") for level, label in LEVEL_CHOICES],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the level attained.")},
            )
        fields["responses"] = forms.TypedMultipleChoiceField(
            label=_("Questionnaires taken as measures at this review"),
            choices=[
                (
                    r.pk,
                    f"{r.version.title_text()} "
                    f"{timezone.localtime(r.completed_at):%d.%m.%Y}: {r.total_score}",
                )
                for r in responses
            ],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        # The goals first, then the date, decision and notes.
        self.fields = {**fields, **self.fields}
        self.responses = {r.pk: r for r in responses}

    def levels(self) -> dict[int, int]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.goals}

    def chosen_responses(self) -> list[Any]:
        return [self.responses[pk] for pk in self.cleaned_data.get("responses", [])]


class ActionProgressForm(forms.Form):
    """How an action of the agreed plan is going; recorded without a new version of the plan."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        error_messages={"required": _("Choose the status.")},
    )
    on = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Give the date."), "invalid": _("Give the date as dd.mm.yyyy.")},
    )
    note = limits.BoundedCharField(
        label=_("Note (optional)"),
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
