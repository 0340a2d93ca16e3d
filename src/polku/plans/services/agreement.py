"""Agreeing a draft with the client (only the content the worker was shown: a draft changed since the
form was opened is refused, saying who changed what) and starting the next version from the agreed one.
Each checks permission, validates first, and writes in one transaction with the event, the audit event
and the timeline entry."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import edits, progress, timeline
from polku.core import story_time
from polku.plans.models import (
    AgreementMethod,
    Goal,
    PlanAction,
    PlanEventKind,
    PlanVersion,
    PlanVersionStatus,
    ServicePlan,
)
from polku.plans.services.plan import (
    ACTION_FIELDS,
    ACTION_LINKS,
    GOAL_FIELDS,
    audit_write,
    draft_of,
    plan_event,
)

__all__ = ["PlanChanged", "agree_version", "agreement_token", "start_revision"]


def _content_hash(version: PlanVersion) -> str:
    """A hash of what the agreement covers: the summary, the rhythm, the goals with their GAS levels and
    their actions, in the order shown."""
    goals = version.goals.prefetch_related("actions").order_by("position", "pk")
    content = {
        "summary": version.summary,
        "weeks": version.review_interval_weeks,
        "goals": [
            {
                **{f: getattr(goal, f) for f in GOAL_FIELDS},
                "actions": [
                    {f: getattr(action, f"{f}_id" if f in ACTION_LINKS else f) for f in ACTION_FIELDS}
                    for action in sorted(goal.actions.all(), key=lambda a: (a.position, a.pk))
                ],
            }
            for goal in goals
        ],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def agreement_token(version: PlanVersion) -> str:
    """What the agree form carries: the hash of the content shown to the worker and when it was shown."""
    return f"{_content_hash(version)}/{story_time.now().isoformat()}"


PLAN_WRITES = {
    "plan.edit": gettext_lazy("%(who)s changed the plan's situation or review rhythm at %(time)s."),
    "plan.goal.save": gettext_lazy("%(who)s changed or added a goal at %(time)s."),
    "plan.goal.remove": gettext_lazy("%(who)s removed a goal at %(time)s."),
    "plan.action.save": gettext_lazy("%(who)s changed or added an action at %(time)s."),
    "plan.action.remove": gettext_lazy("%(who)s removed an action at %(time)s."),
}


class PlanChanged(ValidationError):
    """The draft changed after the agree form was opened; the message says who changed what, when."""


def check_agreed_content(version: PlanVersion, token: str) -> None:
    shown_hash, _sep, opened = token.partition("/")
    if shown_hash == _content_hash(version):
        return
    from polku.audit.models import AuditEvent

    try:
        since = datetime.fromisoformat(opened)
    except ValueError:
        since = version.created_at
    events = (
        AuditEvent.objects.filter(
            client_id=version.plan.client.public_id, action__in=PLAN_WRITES, at__gte=since
        )
        .select_related("actor")
        .order_by("id")
    )
    changes = [
        str(PLAN_WRITES[event.action])
        % {"who": str(event.actor or _("Someone")), "time": edits.changed_at_text(event.at)}
        for event in events
    ]
    raise PlanChanged(
        [
            _(
                "The plan changed after you opened this page, so the client has not seen this version. "
                "Go through it with the client again before agreeing."
            ),
            *changes,
        ],
        code="stale",
    )


@transaction.atomic
def agree_version(
    *,
    version: PlanVersion,
    by: Membership,
    agreed_on: date,
    method: str,
    agreed_content: str | None = None,
) -> PlanVersion:
    """The client agrees the draft: the date and how are recorded and the version is fixed from now on.
    The next review falls due one rhythm after the agreement. `agreed_content` (`agreement_token`, taken
    when the form was shown): refused with `PlanChanged` if the goals, levels, actions or summary changed
    since, so that an agreed version holds only what the worker and the client saw."""
    version = draft_of(version)
    plan = version.plan
    permissions.require(by, "plan.edit", plan.case)
    if agreed_content:
        check_agreed_content(version, agreed_content)
    errors: dict[str, str] = {}
    if method not in AgreementMethod.values:
        errors["method"] = _("Choose how the client agreed the plan.")
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = _("A plan cannot be agreed in the future.")
    elif agreed_on < plan.case.opened_on:
        errors["agreed_on"] = _("The date is before the case was opened.")
    if not version.goals.exists():
        errors["__all__"] = _("Add at least one goal before agreeing the plan.")
    if errors:
        raise ValidationError(errors)
    version.status = PlanVersionStatus.AGREED
    version.agreed_on, version.agreement_method = agreed_on, method
    version.agreed_by, version.agreed_at = by, story_time.now()
    version.save(
        update_fields=["status", "agreed_on", "agreement_method", "agreed_by", "agreed_at", "updated_at"]
    )
    plan.next_review_on = agreed_on + timedelta(weeks=version.review_interval_weeks)
    plan.save(update_fields=["next_review_on", "updated_at"])
    plan_event(plan, PlanEventKind.AGREED, on=agreed_on, by=by, version=version)
    timeline.add(
        plan.client,
        "plan.agreed",
        by=by,
        case=plan.case,
        obj=version,
        register=plan.register,
        params={
            "version": version.number,
            "method": method,
            "goals": version.goals.count(),
            "on": agreed_on.isoformat(),
        },
    )
    audit_write(by, "plan.agree", version, plan, version=version.number, method=method)
    progress.advance_case(plan.case, cause="plan.agreed", by=by)
    return version


def _copy_version(source: PlanVersion, *, number: int, by: Membership) -> PlanVersion:
    draft = PlanVersion.objects.create(
        plan=source.plan,
        number=number,
        based_on=source,
        summary=source.summary,
        review_interval_weeks=source.review_interval_weeks,
        created_by=by,
    )
    for goal in source.goals.prefetch_related("actions"):
        copy = Goal.objects.create(
            version=draft, key=goal.key, position=goal.position, **{f: getattr(goal, f) for f in GOAL_FIELDS}
        )
        for action in goal.actions.all():
            # Keys of the linked rows (service, recommendation), not the rows: no query per action.
            columns = [f"{f}_id" if f in ACTION_LINKS else f for f in ACTION_FIELDS]
            PlanAction.objects.create(
                goal=copy,
                key=action.key,
                position=action.position,
                **{column: getattr(action, column) for column in columns},
            )
    return draft


@transaction.atomic
def start_revision(*, plan: ServicePlan, by: Membership) -> PlanVersion:
    """A new draft copied from the latest agreed version; an open draft is continued instead."""
    plan = ServicePlan.objects.select_for_update().select_related("case__client").get(pk=plan.pk)
    permissions.require(by, "plan.edit", plan.case)
    existing = plan.versions.filter(status=PlanVersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    agreed = plan.versions.filter(status=PlanVersionStatus.AGREED).order_by("-number").first()
    if agreed is None:
        raise ValidationError(_("There is no agreed version to start from."))
    draft = _copy_version(agreed, number=agreed.number + 1, by=by)
    audit_write(by, "plan.revise", draft, plan, version=draft.number, based_on=agreed.number)
    return draft
