"""Concluding a work ability assessment, and the addenda that correct or add to it afterwards (the writes
while it is open are in services.py). Like every write, each checks permission, validates and writes
its rows, the audit event and the timeline entry in one transaction. From its conclusion on the
assessment never changes; a correction is an addendum."""

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
from polku.assessments import selectors, services
from polku.assessments.choices import (
    DOMAIN_REGISTER,
    AssessmentConclusion,
    AssessmentEvent,
    Domain,
    domain_list,
)
from polku.assessments.models import Assessment, AssessmentAddendum, Recommendation
from polku.audit import services as audit
from polku.clients import edits, progress, timeline
from polku.clients.models import Register
from polku.core import story_time
from polku.plans.services.plan import register_for

__all__ = ["add_addendum", "addendum_register", "conclude_assessment"]


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
    assessment = services.locked(assessment)
    permissions.require(by, "assessment.manage", assessment, hide=True)
    services.still_open(assessment)
    edits.check_version(
        assessment,
        expected_version,
        message=_("%(who)s added to the assessment at %(time)s after you opened the conclusion."),
        actions=services.ASSESSMENT_WRITES,
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
    services.record_history(assessment, AssessmentEvent.CONCLUDED, by, concluded_on)
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
    assessment = services.locked(assessment)
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
