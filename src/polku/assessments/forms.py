"""Forms of the work ability assessment. They parse and check what was typed; the services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from polku.assessments import icf
from polku.assessments.choices import AssessmentConclusion, AssessmentKind, Domain, domain_list
from polku.clients.forms import DateInput, MembershipChoiceField
from polku.clients.models import CaseTeamMember
from polku.core import limits
from polku.instruments.models import Response

__all__ = [
    "AddendumForm",
    "ConcludeAssessmentForm",
    "FindingForm",
    "InviteForm",
    "MeetingForm",
    "StartAssessmentForm",
]


class StartAssessmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of assessment"), choices=AssessmentKind.choices, widget=forms.RadioSelect
    )
    question = limits.BoundedCharField(
        label=_("What should the assessment answer?"),
        required=False,
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    started_on = forms.DateField(label=_("Started on"), initial=timezone.localdate, widget=DateInput())


class InviteForm(forms.Form):
    member = MembershipChoiceField(label=_("Team member"), queryset=None, empty_label=_("Choose…"))
    domain = forms.ChoiceField(
        label=_("Domain"),
        choices=Domain.choices,
        widget=forms.RadioSelect,
        help_text=_("Somatic and psychological findings are health care records."),
    )

    def __init__(self, *args: Any, team: list[CaseTeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from polku.accounts.models import Membership

        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(pk__in=[p.membership_id for p in team]).select_related(
            "user", "unit__organisation"
        )


class ResponseChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


def response_label(response: Response) -> str:
    completed = date_format(timezone.localtime(response.completed_at), "SHORT_DATE_FORMAT")
    band = f", {response.band.label_text()}" if response.band else ""
    return f"{response.version.title_text()}, {completed}: {response.total_score}{band}"


def feedback_label(feedback: Any) -> str:
    """ "Mid-term feedback, 1.3.2026, host: recommendation" for a placement host's feedback."""
    submitted = date_format(timezone.localtime(feedback.submitted_at), "SHORT_DATE_FORMAT")
    return (
        f"{feedback.get_stage_display()}, {submitted}, {feedback.placement.host_label}: "
        f"{feedback.get_recommendation_display()}"
    )


class FindingForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices, widget=forms.RadioSelect)
    text = limits.BoundedCharField(
        label=_("Findings"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 8})
    )
    icf_codes = limits.BoundedCharField(
        label=_("ICF codes"),
        required=False,
        max_length=500,
        help_text=_("Optional. Codes from the list below, separated by spaces or commas, e.g. b130 d240."),
    )
    responses = ResponseChoiceField(label=_("Questionnaire results to attach"), required=False)
    placement_feedback = ResponseChoiceField(
        label=_("Feedback from work placement hosts to attach"),
        required=False,
        help_text=_("Shown with the finding to those who may read the placement."),
    )

    def __init__(
        self,
        *args: Any,
        domains: list[str],
        responses: list[Response],
        feedback: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(value, label) for value, label in Domain.choices if value in domains]
        domain = self.fields["domain"]
        assert isinstance(domain, forms.ChoiceField)
        domain.choices = choices
        if len(choices) == 1:
            self.initial.setdefault("domain", choices[0][0])
        self._responses = {str(r.public_id): r for r in responses}
        attach = self.fields["responses"]
        assert isinstance(attach, forms.MultipleChoiceField)
        attach.choices = [(key, response_label(r)) for key, r in self._responses.items()]
        if not responses:
            del self.fields["responses"]
        self._feedback = {str(f.public_id): f for f in feedback}
        attach_feedback = self.fields["placement_feedback"]
        assert isinstance(attach_feedback, forms.MultipleChoiceField)
        attach_feedback.choices = [(key, feedback_label(f)) for key, f in self._feedback.items()]
        if not feedback:
            del self.fields["placement_feedback"]

    def clean_icf_codes(self) -> list[str]:
        return icf.parse_codes(self.cleaned_data.get("icf_codes", ""))

    def chosen_responses(self) -> list[Response]:
        return [self._responses[key] for key in self.cleaned_data.get("responses", [])]

    def chosen_feedback(self) -> list[Any]:
        return [self._feedback[key] for key in self.cleaned_data.get("placement_feedback", [])]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the meeting"), initial=timezone.localdate, widget=DateInput())
    participants = limits.BoundedCharField(
        label=_("Participants"),
        max_length=limits.LIST,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and roles, the client included."),
    )
    client_view = limits.BoundedCharField(
        label=_("The client's own view"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the client's own words."),
    )
    notes = limits.BoundedCharField(
        label=_("Notes of the discussion"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ConcludeAssessmentForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=AssessmentConclusion.choices, widget=forms.RadioSelect
    )
    summary = limits.BoundedCharField(
        label=_("Multidisciplinary summary"), max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 8})
    )
    recommendations = limits.BoundedCharField(
        label=_("Recommendations"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One recommendation per line, in order."),
    )
    concluded_on = forms.DateField(label=_("Concluded on"), initial=timezone.localdate, widget=DateInput())
    confirm = forms.BooleanField(
        label=_("I understand that the concluded assessment cannot be changed; corrections are addenda."),
        error_messages={"required": _("Confirm that the assessment is locked when concluded.")},
    )

    def __init__(self, *args: Any, empty_domains: Sequence[str] = (), **kwargs: Any) -> None:
        """`empty_domains`: the domains of a comprehensive assessment without findings; the form asks
        the concluder to confirm each by name before the assessment is locked."""
        super().__init__(*args, **kwargs)
        self.empty_domains = list(empty_domains)
        if self.empty_domains:
            names = domain_list(self.empty_domains)
            self.fields["confirm_empty_domains"] = forms.BooleanField(
                label=_("Conclude although no findings were recorded in: %(domains)s.") % {"domains": names},
                error_messages={
                    "required": _(
                        "No findings were recorded in: %(domains)s. Confirm that you conclude without them."
                    )
                    % {"domains": names}
                },
            )

    def confirmed_empty_domains(self) -> list[str]:
        """The empty domains the concluder confirmed (all of them, or none)."""
        return self.empty_domains if self.cleaned_data.get("confirm_empty_domains") else []

    def clean_recommendations(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data.get("recommendations", "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 30:
            raise ValidationError(_("At most 30 recommendations; combine some of them."))
        # Each line becomes a recommendation and may become an action of the plan ("what is done").
        for line in lines:
            if len(line) > limits.GOAL:
                raise ValidationError(limits.too_long_message(len(line), limits.GOAL))
        return lines


class AddendumForm(forms.Form):
    text = limits.BoundedCharField(
        label=_("Addendum"),
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The correction or addition; the concluded assessment itself stays as it was."),
    )
