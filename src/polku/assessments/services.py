"""Every write of a work ability assessment. Each function checks permission, validates, writes the row
(with its history row where the state changes), the audit event and the timeline entry in one
transaction, and returns what it wrote. A concluded assessment refuses every change (the models refuse
it too); a correction is an addendum."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.assessments import icf, selectors
from polku.assessments.models import (
    DOMAIN_REGISTER,
    ROLE_DOMAINS,
    Assessment,
    AssessmentAddendum,
    AssessmentConclusion,
    AssessmentEvent,
    AssessmentHistory,
    AssessmentInvitation,
    AssessmentKind,
    AssessmentLocked,
    AssessmentMeeting,
    Domain,
    Finding,
    FindingFeedback,
    Recommendation,
)
from polku.audit import services as audit
from polku.clients import access, edits, progress, timeline
from polku.clients.models import Case, Register
from polku.core import story_time
from polku.instruments.models import Response
from polku.plans.services.plan import register_for

__all__ = [
    "add_addendum",
    "addendum_register",
    "conclude_assessment",
    "invite_to_assessment",
    "record_finding",
    "record_meeting",
    "start_assessment",
]


def _locked(assessment: Assessment) -> Assessment:
    """The assessment, locked for this transaction, with its case and client."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("case__client", "case__unit__organisation", "client")
        .get(pk=assessment.pk)
    )


# The writes that change what an assessment holds; each moves its version (`_touch`), which the
# conclusion checks so that it is not written over findings its author has not seen.
ASSESSMENT_WRITES = ("assessment.finding", "assessment.meeting", "assessment.invite", "assessment.conclude")


def _touch(assessment: Assessment) -> None:
    assessment.save(update_fields=["updated_at"])


def _still_open(assessment: Assessment) -> None:
    if assessment.is_concluded:
        raise AssessmentLocked()


def _history(assessment: Assessment, event: str, by: Membership, on: date) -> AssessmentHistory:
    return AssessmentHistory.objects.create(
        assessment=assessment,
        event=event,
        on=on,
        by=by,
        kind=assessment.kind,
        unit=assessment.case.unit,
        conclusion=assessment.conclusion,
    )


@transaction.atomic
def start_assessment(
    *, case: Case, by: Membership, kind: str, question: str = "", started_on: date | None = None
) -> Assessment:
    """Start an assessment in the case; only one is open in a case at a time."""
    permissions.require(by, "assessment.start", case, hide=not access.knows_of_case(by, case))
    started_on = started_on or timezone.localdate()
    if kind not in AssessmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of assessment.")})
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": _("An assessment cannot start in the future.")})
    if started_on < case.opened_on:
        raise ValidationError({"started_on": _("The date is before the case was opened.")})
    if case.assessments.filter(concluded_at__isnull=True).exists():
        raise ValidationError(
            _("The case already has an assessment in progress; conclude it before starting another."),
            code="assessment_open",
        )
    assessment = Assessment.objects.create(
        case=case,
        client=case.client,
        kind=kind,
        question=question.strip(),
        started_on=started_on,
        started_by=by,
    )
    _history(assessment, AssessmentEvent.STARTED, by, started_on)
    timeline.add(case.client, "assessment.started", by=by, case=case, obj=assessment, params={"kind": kind})
    progress.advance_case(case, cause="assessment.started", by=by)
    audit.record(by, "assessment.start", assessment, client=case.client, details={"kind": kind})
    return assessment


@transaction.atomic
def invite_to_assessment(
    *, assessment: Assessment, member: Membership, domain: str, by: Membership
) -> AssessmentInvitation:
    """Ask a member of the case's team to assess one domain of their profession."""
    assessment = _locked(assessment)
    permissions.require(by, "assessment.manage", assessment, hide=True)
    _still_open(assessment)
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Choose the domain from the list.")})
    if not access.is_on_team(member, assessment.case):
        raise ValidationError({"member": _("Only a member of the case's team can be invited.")})
    if domain not in ROLE_DOMAINS.get(member.role, ()):
        raise ValidationError(
            {
                "domain": _("A %(role)s does not assess the %(domain)s domain.")
                % {"role": member.get_role_display().lower(), "domain": Domain(domain).label.lower()}
            }
        )
    if assessment.invitations.filter(member=member, domain=domain).exists():
        raise ValidationError({"member": _("This person is already invited for this domain.")})
    invitation = AssessmentInvitation.objects.create(
        assessment=assessment, member=member, domain=domain, invited_by=by
    )
    _touch(assessment)
    audit.record(
        by,
        "assessment.invite",
        assessment,
        client=assessment.client,
        details={"member": str(member.public_id), "domain": domain},
    )
    return invitation


@transaction.atomic
def record_finding(
    *,
    assessment: Assessment,
    by: Membership,
    domain: str,
    text: str,
    icf_codes: Sequence[str] = (),
    responses: Sequence[Response] = (),
    placement_feedback: Sequence[Any] = (),
    idempotency_key: str | None = None,
) -> Finding:
    """A finding in one domain, a record of the author's organisation in the domain's register, with
    completed questionnaires and submitted placement host feedback of the client as its evidence (each
    only if the author may read it). The form sent twice records it once (`clients.edits`)."""
    assessment = _locked(assessment)
    permissions.require(by, "assessment.contribute", assessment, hide=True)
    earlier = edits.earlier_submission(idempotency_key, Finding)
    if earlier is not None and earlier.assessment_id == assessment.pk:
        return earlier
    _still_open(assessment)
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Choose the domain from the list.")})
    finding = Finding(
        assessment=assessment,
        client=assessment.client,
        domain=domain,
        text=text.strip(),
        icf_codes=list(icf_codes),
        register=DOMAIN_REGISTER[Domain(domain)],
        organisation=by.unit.organisation,
        author=by,
    )
    # Outside one's own domain: refused and audited, like any other refusal.
    permissions.require(by, "finding.record", finding)
    if not finding.text:
        raise ValidationError({"text": _("Write what you found.")})
    icf.validate_codes(finding.icf_codes)
    for response in responses:
        if response.client_id != assessment.client_id or not response.is_completed:
            raise ValidationError({"responses": _("Attach completed questionnaires of this client only.")})
        permissions.require(by, "response.view", response, hide=True)
    for feedback in placement_feedback:
        if feedback.placement.client_id != assessment.client_id:
            raise ValidationError(
                {"placement_feedback": _("Attach feedback on this client's placements only.")}
            )
        permissions.require(by, "placement.view", feedback.placement, hide=True)
    finding.full_clean(exclude=["assessment", "client", "organisation", "author"])
    finding.save()
    edits.remember_submission(idempotency_key, finding)
    _touch(assessment)
    if responses:
        finding.responses.set(responses)
    # The assessment is locked for this transaction and still open, so the rows need no check each.
    FindingFeedback.objects.bulk_create(
        [
            FindingFeedback(finding=finding, feedback=feedback)
            for feedback in dict.fromkeys(placement_feedback)
        ]
    )
    timeline.add(
        assessment.client,
        "assessment.finding",
        by=by,
        case=assessment.case,
        obj=finding,
        register=finding.register,
        params={"domain": domain},
    )
    audit.record(
        by,
        "assessment.finding",
        finding,
        client=assessment.client,
        details={
            "domain": domain,
            "icf": finding.icf_codes,
            "responses": len(responses),
            "placement_feedback": [str(feedback.public_id) for feedback in placement_feedback],
        },
    )
    return finding


@transaction.atomic
def record_meeting(
    *,
    assessment: Assessment,
    by: Membership,
    held_on: date,
    participants: str,
    client_view: str,
    notes: str = "",
) -> AssessmentMeeting:
    """The team meeting with the client; the client's view is written in their own words."""
    assessment = _locked(assessment)
    permissions.require(by, "assessment.manage", assessment, hide=True)
    _still_open(assessment)
    errors: dict[str, Any] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("A meeting cannot be recorded before it is held.")
    elif held_on < assessment.started_on:
        errors["held_on"] = _("The date is before the assessment started.")
    if not participants.strip():
        errors["participants"] = _("Name who took part, the client included.")
    if not client_view.strip():
        errors["client_view"] = _("Write the client's own view, in their own words.")
    if errors:
        raise ValidationError(errors)
    meeting = AssessmentMeeting.objects.create(
        assessment=assessment,
        held_on=held_on,
        participants=participants.strip(),
        client_view=client_view.strip(),
        notes=notes.strip(),
        recorded_by=by,
    )
    timeline.add(
        assessment.client,
        "assessment.meeting",
        by=by,
        case=assessment.case,
        obj=meeting,
        # The meeting record (the client's own view) is a record of the case register.
        register=register_for(assessment.case),
        params={"on": held_on.isoformat()},
    )
    _touch(assessment)
    audit.record(by, "assessment.meeting", meeting, client=assessment.client)
    return meeting


@transaction.atomic
def conclude_assessment(
    *,
    assessment: Assessment,
    by: Membership,
    conclusion: str,
    summary: str,
    recommendations: Sequence[str] = (),
    concluded_on: date | None = None,
    expected_version: str | None = None,
    empty_domains_confirmed: Collection[str] = (),
) -> Assessment:
    """Conclude with one of the fixed conclusions, the written summary and the recommendations in their
    order. From now on the assessment never changes; corrections are addenda. Refused if a finding or a
    meeting was recorded after the form was opened (`expected_version`): the summary would not cover it.
    A comprehensive assessment with a domain without findings is concluded only when the concluder has
    confirmed each such domain (`empty_domains_confirmed`, the form asks with the domains named)."""
    assessment = _locked(assessment)
    permissions.require(by, "assessment.manage", assessment, hide=True)
    _still_open(assessment)
    edits.check_version(
        assessment,
        expected_version,
        message=_("%(who)s added to the assessment at %(time)s after you opened the conclusion."),
        actions=ASSESSMENT_WRITES,
        client=assessment.client,
    )
    concluded_on = concluded_on or timezone.localdate()
    errors: dict[str, Any] = {}
    if conclusion not in AssessmentConclusion.values:
        errors["conclusion"] = _("Choose the conclusion from the list.")
    if not summary.strip():
        errors["summary"] = _("Write the multidisciplinary summary.")
    if concluded_on > timezone.localdate():
        errors["concluded_on"] = _("An assessment cannot be concluded in the future.")
    elif concluded_on < assessment.started_on:
        errors["concluded_on"] = _("The date is before the assessment started.")
    if not assessment.meetings.exists():
        errors["__all__"] = _("Record the team meeting with the client's own view before concluding.")
    empty = selectors.empty_domains(assessment)
    unconfirmed = [domain for domain in empty if domain not in empty_domains_confirmed]
    if unconfirmed and "__all__" not in errors:
        errors["__all__"] = ValidationError(
            _("No findings were recorded in: %(domains)s. Confirm that you conclude without them.")
            % {"domains": domain_list(unconfirmed)},
            code="empty_domains",
        )
    if errors:
        raise ValidationError(errors)
    texts = [text.strip() for text in recommendations if text.strip()]
    Recommendation.objects.bulk_create(
        [Recommendation(assessment=assessment, order=n, text=text) for n, text in enumerate(texts, start=1)]
    )
    assessment.conclusion, assessment.summary = conclusion, summary.strip()
    assessment.concluded_on, assessment.concluded_at, assessment.concluded_by = (
        concluded_on,
        story_time.now(),
        by,
    )
    assessment.save(
        update_fields=["conclusion", "summary", "concluded_on", "concluded_at", "concluded_by", "updated_at"]
    )
    _history(assessment, AssessmentEvent.CONCLUDED, by, concluded_on)
    timeline.add(
        assessment.client,
        "assessment.concluded",
        by=by,
        case=assessment.case,
        obj=assessment,
        register=register_for(assessment.case),
        params={"kind": assessment.kind, "conclusion": conclusion},
    )
    audit.record(
        by,
        "assessment.conclude",
        assessment,
        client=assessment.client,
        details={"conclusion": conclusion, "recommendations": len(texts), "empty_domains": empty},
    )
    progress.advance_case(assessment.case, cause="assessment.concluded", by=by)
    return assessment


def domain_list(domains: Sequence[str]) -> str:
    """The domains' names in the reader's language, in one line ("psychological, social")."""
    return ", ".join(str(Domain(domain).label).lower() for domain in domains)


# The strictest register first: an invited contributor's addendum may correct any of their findings.
_STRICTNESS = [Register.HEALTH, Register.SOCIAL, Register.EMPLOYMENT]


def addendum_register(assessment: Assessment, by: Membership) -> str:
    """The register of an addendum: the case register (as the assessment's own texts) for the case
    organisation; for an invited contributor of another organisation, the strictest register of the
    domains they were invited for."""
    if by.unit.organisation_id == assessment.case.unit.organisation_id:
        return register_for(assessment.case)
    registers = {
        DOMAIN_REGISTER[Domain(domain)]
        for domain in assessment.invitations.filter(member=by).values_list("domain", flat=True)
    }
    return str(min(registers, key=_STRICTNESS.index)) if registers else Register.HEALTH


@transaction.atomic
def add_addendum(*, assessment: Assessment, by: Membership, text: str) -> AssessmentAddendum:
    """A correction or addition to a concluded assessment; the concluded record itself stays as it was."""
    assessment = _locked(assessment)
    permissions.require(by, "assessment.addendum", assessment, hide=True)
    if not assessment.is_concluded:
        raise ValidationError(_("The assessment is in progress: add to its findings instead."))
    if not text.strip():
        raise ValidationError({"text": _("Write the correction or addition.")})
    addendum = AssessmentAddendum.objects.create(
        assessment=assessment,
        text=text.strip(),
        author=by,
        organisation=by.unit.organisation,
        register=addendum_register(assessment, by),
    )
    timeline.add(
        assessment.client,
        "assessment.addendum",
        by=by,
        case=assessment.case,
        obj=addendum,
        register=addendum.register,
    )
    audit.record(
        by, "assessment.addendum", addendum, client=assessment.client, details={"register": addendum.register}
    )
    return addendum
