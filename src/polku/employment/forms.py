from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients.forms import DateInput
from polku.clients.models import Municipality
from polku.core import limits
from polku.employment.models import (
    Adjustment,
    ContactPerson,
    ContactPurpose,
    CounsellingReason,
    Decision,
    Disclosure,
    EndReason,
    IpsPeriod,
    JobField,
    OpeningStatus,
    Phase,
    WageType,
)
from polku.employment.scale import ITEMS


class CoachField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.get_full_name() or obj.user.email} ({obj.unit.display_name})"


class EnterForm(forms.Form):
    coach = CoachField(label=_("Job coach"), queryset=Membership.objects.none())
    on = forms.DateField(label=_("Entered IPS on"), widget=DateInput, initial=timezone.localdate)
    wish = limits.text_field(
        limits.SHORT_NOTE,
        label=_("The client's wish to work, in their words"),
        required=False,
        rows=3,
        help_text=_("The wish to work is the only criterion: no readiness is assessed (zero exclusion)."),
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    handover = limits.text_field(
        limits.REASON,
        label=_("Hand-over when support ends"),
        required=False,
        rows=3,
        help_text=_("Needed when closing: who supports the client from now on, and what was agreed."),
    )


class ProfileForm(forms.Form):
    work_history = limits.text_field(limits.SUMMARY, label=_("Work history"), required=False)
    education = limits.text_field(limits.SUMMARY, label=_("Education"), required=False)
    job_fields = forms.MultipleChoiceField(
        label=_("Kinds of work wanted"),
        choices=JobField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours_min = forms.IntegerField(label=_("Hours per week, at least"), min_value=0, max_value=60, initial=0)
    hours_max = forms.IntegerField(label=_("Hours per week, at most"), min_value=1, max_value=60, initial=40)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Places (municipalities)"),
        queryset=Municipality.objects.order_by("name_fi"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    environment = limits.text_field(
        limits.SHORT_NOTE, label=_("Working environment wanted"), required=False, rows=2
    )
    strengths = limits.text_field(limits.SHORT_NOTE, label=_("Strengths"), required=False, rows=2)
    adjustments = forms.MultipleChoiceField(
        label=_("Support or adjustments wanted at work"),
        choices=Adjustment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Health limitations are not written here: they stay in the health record."),
    )
    disclosure = forms.ChoiceField(
        label=_("Disclosure to employers"), choices=Disclosure.choices, widget=forms.RadioSelect
    )
    disclosure_note = limits.text_field(
        limits.SHORT_NOTE, label=_("What may be told"), required=False, rows=2
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("hours_min") is not None
            and data.get("hours_max") is not None
            and data["hours_max"] < data["hours_min"]
        ):
            self.add_error("hours_max", _("The most hours cannot be fewer than the fewest."))
        return data


class CounsellingForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CounsellingReason.choices, widget=forms.RadioSelect)
    offered_on = forms.DateField(label=_("Offered on"), widget=DateInput, initial=timezone.localdate)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput, required=False)
    given_by = limits.BoundedCharField(
        label=_("Given by"),
        max_length=200,
        required=False,
        help_text=_("For example a Kela or benefits adviser."),
    )
    questions = limits.text_field(
        limits.SHORT_NOTE,
        label=_("Questions covered"),
        required=False,
        rows=3,
        help_text=_("For example how part-time earnings affect benefits."),
    )


class EmployerForm(forms.Form):
    name = limits.BoundedCharField(label=_("Name"), max_length=200)
    business_id = forms.CharField(
        label=_("Business ID (Y-tunnus)"), max_length=9, help_text=_("For example 1234567-8.")
    )
    municipality_code = forms.CharField(label=_("Municipality code"), max_length=3, required=False)


class FteForm(forms.Form):
    fte = forms.DecimalField(
        label=_("Share of full time in IPS"),
        min_value=Decimal("0.05"),
        max_value=Decimal("1"),
        decimal_places=2,
        help_text=_(
            "For example 1 for full time, 0.5 for half time. The caseload limit is 20 per full time."
        ),
    )


class ConfirmForm(forms.Form):
    """A confirmation page's form: no fields, the POST itself confirms."""


class WorkplaceForm(forms.Form):
    name = limits.BoundedCharField(label=_("Name"), max_length=200)


class ContactPersonForm(forms.Form):
    name = limits.BoundedCharField(label=_("Name"), max_length=limits.NAME)
    title = limits.BoundedCharField(label=_("Title"), max_length=limits.NAME, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class EmployerContactForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    face_to_face = forms.BooleanField(label=_("Face to face"), required=False, initial=True)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ContactPurpose.choices, widget=forms.RadioSelect)
    contact_person: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Contact person"), queryset=ContactPerson.objects.none(), required=False
    )
    job_seekers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("On behalf of (job seekers)"),
        queryset=IpsPeriod.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = limits.text_field(limits.SHORT_NOTE, label=_("Note"), required=False, rows=3)

    def __init__(self, *args: Any, people: Any, periods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["job_seekers"].queryset = periods  # type: ignore[attr-defined]
        self.fields["job_seekers"].label_from_instance = lambda period: period.client.full_name  # type: ignore[attr-defined]


class OpeningForm(forms.Form):
    title = limits.BoundedCharField(label=_("Title"), max_length=limits.NAME)
    tasks = limits.text_field(limits.SHORT_NOTE, label=_("Tasks"), required=False, rows=3)
    job_field = forms.ChoiceField(label=_("Kind of work"), choices=JobField.choices)
    hours_min = forms.IntegerField(label=_("Hours per week, at least"), min_value=1, max_value=60)
    hours_max = forms.IntegerField(label=_("Hours per week, at most"), min_value=1, max_value=60)
    adjustments = forms.MultipleChoiceField(
        label=_("Adjustments the employer can make"),
        choices=Adjustment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.order_by("name_fi")
    )
    wage_type = forms.ChoiceField(
        label=_("Wage"), choices=WageType.choices[:2], widget=forms.RadioSelect, initial=WageType.COMPETITIVE
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=OpeningStatus.choices, initial=OpeningStatus.OPEN)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("hours_min") and data.get("hours_max") and data["hours_max"] < data["hours_min"]:
            self.add_error("hours_max", _("The most hours cannot be fewer than the fewest."))
        return data


class DiscussionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("The client's decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    note = limits.text_field(limits.SHORT_NOTE, label=_("Note"), required=False, rows=2)


class JobStartForm(forms.Form):
    employer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Employer"), queryset=Organisation.objects.none()
    )
    title = limits.BoundedCharField(label=_("Title"), max_length=limits.NAME)
    job_field = forms.ChoiceField(label=_("Kind of work"), choices=JobField.choices)
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"), min_value=0.5, max_value=60, decimal_places=1
    )
    wage_type = forms.ChoiceField(
        label=_("Wage"), choices=WageType.choices, widget=forms.RadioSelect, initial=WageType.COMPETITIVE
    )
    starts_on = forms.DateField(label=_("Started on"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class JobEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ended on"), widget=DateInput, initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=EndReason.choices, widget=forms.RadioSelect)


class FollowAlongForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    with_employer = forms.BooleanField(
        label=_("With the employer"),
        required=False,
        help_text=_("Only where the client's disclosure decision allows it."),
    )
    note = limits.text_field(limits.SHORT_NOTE, label=_("Note"), required=False, rows=3)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Review date"), widget=DateInput, initial=timezone.localdate)
    reviewers = limits.BoundedCharField(label=_("Reviewers"), max_length=limits.LINE)
    scale_version = forms.CharField(label=_("Scale version"), max_length=40, initial="IPS-25 (2019)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, title, _full in ITEMS:
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {title}",
                choices=[(n, str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence_{number}"] = limits.text_field(
                limits.SHORT_NOTE, label=_("Evidence for item %(n)s") % {"n": number}, required=False, rows=2
            )

    def scores(self) -> tuple[dict[int, int], dict[int, str]]:
        return (
            {n: self.cleaned_data[f"item_{n}"] for n, _t, _f in ITEMS},
            {n: self.cleaned_data.get(f"evidence_{n}", "") for n, _t, _f in ITEMS},
        )
