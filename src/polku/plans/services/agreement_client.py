"""The client agrees a draft in their own Polku, where a team member asked them to: the same content
check as staff agreement (the hash of what was shown, `agreement.agreement_token`), recorded as agreed by
the client (`agreement_method` "own_polku", no `agreed_by`) with the time. The caller (the portal) makes
sure the version is the signed-in client's own and passes `actor`, the audit details naming the client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.clients import progress, timeline
from polku.core import story_time
from polku.plans.models import AgreementMethod, PlanEventKind, PlanVersion, PlanVersionStatus
from polku.plans.services.agreement import check_agreed_content
from polku.plans.services.plan import audit_write, draft_of, plan_event

__all__ = ["agree_as_client", "ask_client_to_agree"]


@transaction.atomic
def ask_client_to_agree(*, version: PlanVersion, by: Membership) -> PlanVersion:
    """A team member who may edit the plan asks the client to agree this draft in their own Polku."""
    version = draft_of(version)
    plan = version.plan
    permissions.require(by, "plan.edit", plan.case)
    if not version.goals.exists():
        raise ValidationError(_("Add at least one goal before agreeing the plan."))
    version.client_asked_at, version.client_asked_by = story_time.now(), by
    version.save(update_fields=["client_asked_at", "client_asked_by", "updated_at"])
    audit_write(by, "plan.ask_client", version, plan, version=version.number)
    return version


@transaction.atomic
def agree_as_client(*, version: PlanVersion, agreed_content: str, actor: dict[str, Any]) -> PlanVersion:
    """The client agrees exactly the content they were shown (`agreed_content`, the token taken when the
    page was shown): refused with `agreement.PlanChanged` if the draft changed since."""
    version = draft_of(version)
    plan = version.plan
    asked_by = version.client_asked_by
    if version.client_asked_at is None or asked_by is None:
        raise ValidationError(_("Your team has not asked you to agree this plan."))
    check_agreed_content(version, agreed_content)
    if not version.goals.exists():
        raise ValidationError(_("Add at least one goal before agreeing the plan."))
    today = timezone.localdate()
    version.status = PlanVersionStatus.AGREED
    version.agreed_on, version.agreement_method = today, AgreementMethod.OWN_POLKU
    version.agreed_by, version.agreed_at = None, story_time.now()
    version.save(
        update_fields=["status", "agreed_on", "agreement_method", "agreed_by", "agreed_at", "updated_at"]
    )
    plan.next_review_on = today + timedelta(weeks=version.review_interval_weeks)
    plan.save(update_fields=["next_review_on", "updated_at"])
    # The indicators' event and the case's progress name the team member who asked for the agreement.
    plan_event(plan, PlanEventKind.AGREED, on=today, by=asked_by, version=version)
    timeline.add(
        plan.client,
        "plan.agreed",
        by=None,
        case=plan.case,
        obj=version,
        register=plan.register,
        organisation=plan.organisation,
        params={
            "version": version.number,
            "method": AgreementMethod.OWN_POLKU,
            "goals": version.goals.count(),
            "on": today.isoformat(),
        },
    )
    audit.record(
        None,
        "plan.agree",
        version,
        client=plan.client,
        details={**actor, "version": version.number, "method": AgreementMethod.OWN_POLKU},
    )
    progress.advance_case(plan.case, cause="plan.agreed", by=asked_by)
    return version
