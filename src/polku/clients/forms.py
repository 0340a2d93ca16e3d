from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation
from polku.clients import edits, identity
from polku.clients.models import (
    CaseOutcome,
    CaseSource,
    CaseStatus,
    ConsentMethod,
    ContactChannel,
    ContactKind,
    Language,
    Municipality,
    Register,
)
from polku.core import limits


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names when the form has it, else on top. A
    stale edit also lists the saved values beside the user's own (`clients.edits.show_conflict`)."""
    if isinstance(error, edits.StaleEdit):
        edits.show_conflict(form, error)
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        unit = obj.unit
        return f"{obj.user} – {obj.get_role_display()}, {unit.organisation.display_name}: {unit.display_name}"


postal_code_validator = RegexValidator(r"^\d{5}$", _("A postal code has five digits, for example 90100."))


class ClientDetailsForm(forms.Form):
    first_names = limits.BoundedCharField(label=_("First names"), max_length=150)
    last_name = limits.BoundedCharField(label=_("Last name"), max_length=150)
    municipality = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=Municipality.objects.all(), empty_label=_("Choose…")
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    other_language = limits.BoundedCharField(label=_("Other language"), max_length=100, required=False)
    phone = limits.BoundedCharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    street_address = limits.BoundedCharField(
        label=_("Street address"), max_length=limits.NAME, required=False
    )
    postal_code = limits.BoundedCharField(
        label=_("Postal code"), max_length=5, required=False, validators=[postal_code_validator]
    )
    post_office = limits.BoundedCharField(label=_("Post office"), max_length=100, required=False)
    preferred_contact_channel = forms.ChoiceField(
        label=_("Preferred contact channel"),
        choices=[("", _("Not stated")), *ContactChannel.choices],
        required=False,
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    interpreter_language = limits.BoundedCharField(
        label=_("Interpreter language"), max_length=100, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "other" in data.get("languages", []) and not data.get("other_language", "").strip():
            self.add_error("other_language", _("Name the other language."))
        if data.get("needs_interpreter") and not data.get("interpreter_language", "").strip():
            self.add_error("interpreter_language", _("Name the language the interpreter is needed for."))
        return data


class NewClientForm(ClientDetailsForm):
    identity_code = limits.BoundedCharField(
        label=_("Personal identity code"),
        max_length=20,
        help_text=_(
            "For example 131052-308T. If the person is already a client, the case is opened for them."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    source = forms.ChoiceField(
        label=_("How the client came"), choices=[("", _("Choose…")), *CaseSource.choices]
    )
    opened_on = forms.DateField(label=_("Case opened on"), initial=timezone.localdate, widget=DateInput())

    field_order = ["identity_code", "first_names", "last_name"]

    def clean_identity_code(self) -> str:
        return identity.parse(self.cleaned_data["identity_code"]).code


class OpenCaseForm(forms.Form):
    source = forms.ChoiceField(
        label=_("How the client came"), choices=[("", _("Choose…")), *CaseSource.choices]
    )
    opened_on = forms.DateField(label=_("Case opened on"), initial=timezone.localdate, widget=DateInput())


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(v, label) for v, label in CaseStatus.choices if v != CaseStatus.CLOSED],
    )
    note = limits.BoundedCharField(
        label=_("Note"), required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseCaseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Choose…")), *CaseOutcome.choices])
    closed_on = forms.DateField(label=_("Closed on"), initial=timezone.localdate, widget=DateInput())
    note = limits.BoundedCharField(
        label=_("Note"), required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 3})
    )


class StaffPickerForm(forms.Form):
    """A form that picks one of possibly thousands of staff (`staff_field`). The field accepts any of the
    `candidates` but lists only `shown`: those the page's staff search found
    (`clients.selectors.staff_choices`), so the page stays usable in a large organisation."""

    staff_field: ClassVar[str]

    def __init__(self, *args: Any, candidates: Any, shown: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.staff_field]
        assert isinstance(field, MembershipChoiceField)
        field.queryset = candidates
        # Screen readers hear, on the list itself, whether it is cut or filtered by the search.
        field.widget.attrs["aria-describedby"] = "staff-search-status"
        field.widget.choices = [
            ("", field.empty_label),
            *((membership.pk, field.label_from_instance(membership)) for membership in shown),
        ]


class HandOverForm(StaffPickerForm):
    staff_field = "worker"

    worker = MembershipChoiceField(
        label=_("New personal worker"), queryset=Membership.objects.none(), empty_label=_("Choose…")
    )
    note = limits.BoundedCharField(
        label=_("Note for the next worker"),
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the next worker needs to know: the situation, what was agreed, what is pending."),
    )


class NextStepForm(forms.Form):
    record_fields: ClassVar[dict[str, str]] = {"step": "next_step", "due_on": "next_step_on"}  # clients.edits
    step = limits.BoundedCharField(label=_("Next planned action or review"), max_length=limits.NAME)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())


class TeamMemberForm(StaffPickerForm):
    staff_field = "member"

    member = MembershipChoiceField(
        label=_("Team member"), queryset=Membership.objects.none(), empty_label=_("Choose…")
    )
    responsibility = limits.BoundedCharField(
        label=_("Responsibility in the team"), max_length=limits.NAME, required=False
    )
    started_on = forms.DateField(label=_("From"), initial=timezone.localdate, widget=DateInput())


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contact type"), choices=ContactKind.choices, widget=forms.RadioSelect)
    happened_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440, required=False
    )
    participants = limits.BoundedCharField(label=_("Participants"), max_length=limits.LINE, required=False)
    register = forms.ChoiceField(
        label=_("Register"),
        choices=Register.choices,
        widget=forms.RadioSelect,
        help_text=_("The register the note belongs to decides who may read it."),
    )
    note = limits.BoundedCharField(
        label=_("Note"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 6})
    )


class ConsentForm(forms.Form):
    discloser = forms.ModelChoiceField(
        label=_("Disclosing organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose…")
    )
    recipient = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=Organisation.objects.none(), empty_label=_("Choose…")
    )
    registers = forms.MultipleChoiceField(
        label=_("Records the consent covers"),
        choices=[
            (Register.SOCIAL, _("Social welfare records")),
            (Register.HEALTH, _("Health care records")),
            (Register.EMPLOYMENT, _("Employment services records")),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one register the consent covers.")},
    )
    purpose = limits.BoundedCharField(label=_("Purpose"), max_length=limits.LINE)
    valid_from = forms.DateField(label=_("Valid from"), initial=timezone.localdate, widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if valid until revoked."),
    )
    method = forms.ChoiceField(
        label=_("How the consent was given"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    witness = limits.BoundedCharField(
        label=_("Witness (for a verbal consent)"), max_length=limits.NAME, required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discloser"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["recipient"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["recipient"].help_text = _("Your organisation must be one of the two.")

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `services.record_consent` takes it: one flag per register."""
        data = dict(self.cleaned_data)
        registers = data.pop("registers", [])
        return data | {f"covers_{register}": register in registers for register in Register.values}


class RevokeConsentForm(forms.Form):
    revoked_on = forms.DateField(label=_("Revoked on"), initial=timezone.localdate, widget=DateInput())
    note = limits.BoundedCharField(label=_("Note"), max_length=limits.LINE, required=False)


class OpenCaseFromBreakGlassForm(OpenCaseForm):
    reason = limits.BoundedCharField(
        label=_("Why your unit opens a case for this client"),
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The reason is recorded, shown to the client in their access report, and shown with your name "
            "and unit on the client's timeline, which the client's personal workers see."
        ),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the client becomes a client of my unit, and I have a reason beyond the few hours I "
            "was given to see their data."
        ),
        error_messages={"required": _("Confirm that your unit opens a case for the client.")},
    )


class BreakGlassForm(forms.Form):
    reason = limits.BoundedCharField(
        label=_("Reason for opening the client's data"),
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The reason is recorded and shown to the client in their access report."),
    )


class EndTeamMembershipForm(forms.Form):
    """Confirmation only; the POST itself is the decision."""
