"""The writes of a work ability assessment while it is open: starting it, inviting the team, findings
and the team meeting; concluding it and the addenda after it are in conclusion.py. Each function checks
permission, validates, writes the row (with its history row where the state changes), the audit event
and the timeline entry in one transaction, and returns what it wrote. A concluded assessment refuses
every change (the models refuse it too); a correction is an addendum."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.assessments import icf
from polku.assessments.choices import (
    DOMAIN_REGISTER,
    ROLE_DOMAINS,
    AssessmentEvent,
    AssessmentKind,
    Domain,
)
from polku.assessments.locking import AssessmentLocked
from polku.assessments.models import (
    Assessment,
    AssessmentHistory,
    AssessmentInvitation,
    AssessmentMeeting,
    Finding,
    FindingFeedback,
)
from polku.audit import services as audit
from polku.clients import access, edits, progress, timeline
from polku.clients.models import Case
from polku.instruments.models import Response
from polku.plans.services.plan import register_for

__all__ = [
    "invite_to_assessment",
    "record_finding",
    "record_meeting",
    "start_assessment",
]


def locked(assessment: Assessment) -> Assessment:
    """The assessment, locked for this transaction, with its case and client."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("case__client", "case__unit__organisation", "client")
        .get(pk=assessment.pk)
    )


# The writes that change what an assessment holds; each moves its version (`touch`), which the
# conclusion checks so that it is not written over findings its author has not seen.
ASSESSMENT_WRITES = ("assessment.finding", "assessment.meeting", "assessment.invite", "assessment.conclude")


def touch(assessment: Assessment) -> None:
    """Move the assessment's version (`ASSESSMENT_WRITES`)."""
    assessment.save(update_fields=["updated_at"])


def still_open(assessment: Assessment) -> None:
    """Refuse a change to a concluded assessment (locked by `locked`)."""
    if assessment.is_concluded:
        raise AssessmentLocked()


def record_history(assessment: Assessment, event: str, by: Membership, on: date) -> AssessmentHistory:
    """The history row of a start or a conclusion (`selectors.concluded_counts` counts them)."""
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
    record_history(assessment, AssessmentEvent.STARTED, by, started_on)
    timeline.add(case.client, "assessment.started", by=by, case=case, obj=assessment, params={"kind": kind})
    progress.advance_case(case, cause="assessment.started", by=by)
    audit.record(by, "assessment.start", assessment, client=case.client, details={"kind": kind})
    return assessment


@transaction.atomic
def invite_to_assessment(
    *, assessment: Assessment, member: Membership, domain: str, by: Membership
) -> AssessmentInvitation:
    """Ask a member of the case's team to assess one domain of their profession."""
    assessment = locked(assessment)
    permissions.require(by, "assessment.manage", assessment, hide=True)
    still_open(assessment)
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
    touch(assessment)
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
    assessment = locked(assessment)
    permissions.require(by, "assessment.contribute", assessment, hide=True)
    earlier = edits.earlier_submission(idempotency_key, Finding)
    if earlier is not None and earlier.assessment_id == assessment.pk:
        return earlier
    still_open(assessment)
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
    touch(assessment)
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
    assessment = locked(assessment)
    permissions.require(by, "assessment.manage", assessment, hide=True)
    still_open(assessment)
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
    touch(assessment)
    audit.record(by, "assessment.meeting", meeting, client=assessment.client)
    return meeting
