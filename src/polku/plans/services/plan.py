"""Starting a service plan and editing its draft (situation, goals with their GAS levels, actions).
Agreeing it and starting the next version are agreement.py's, the follow-up of an agreed plan
reviews.py's. Each checks permission, validates first, and writes in one transaction with the history
row, the audit event and the timeline entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, OrganisationKind
from polku.audit import services as audit
from polku.clients import edits
from polku.clients.models import Case, Register
from polku.plans import gas
from polku.plans.models import (
    AgreedPlanIsFixed,
    Goal,
    PlanAction,
    PlanEvent,
    PlanVersion,
    ServicePlan,
)

__all__ = [
    "ACTION_FIELDS",
    "GOAL_FIELDS",
    "remove_action",
    "remove_goal",
    "save_action",
    "save_goal",
    "start_plan",
    "update_draft",
]

GOAL_FIELDS = (
    "text",
    "level_minus_2",
    "level_minus_1",
    "level_0",
    "level_plus_1",
    "level_plus_2",
    "baseline_level",
    "weight",
)
ACTION_FIELDS = (
    "what",
    "responsible",
    "responsible_name",
    "service",
    "service_name",
    "due_on",
    "status",
    "from_recommendation",
)
ACTION_LINKS = frozenset({"service", "from_recommendation"})  # foreign keys among the action's fields


def register_for(case: Case) -> str:
    """The register a plan belongs to: social welfare in a wellbeing services county, employment
    services elsewhere (municipal employment services, the employment authority)."""
    if case.unit.organisation.kind == OrganisationKind.WELLBEING_COUNTY:
        return Register.SOCIAL
    return Register.EMPLOYMENT


def draft_of(version: PlanVersion) -> PlanVersion:
    """The version locked for writing; refused unless it is still a draft."""
    version = PlanVersion.objects.select_for_update().select_related("plan__case__client").get(pk=version.pk)
    if version.is_agreed:
        raise AgreedPlanIsFixed()
    return version


def audit_write(by: Membership, action: str, obj: Any, plan: ServicePlan, **details: Any) -> None:
    """The audit event of a write to the plan, with the plan's client (reviews.py's writes too)."""
    audit.record(by, action, obj, client=plan.client, details=details or None)


@transaction.atomic
def start_plan(*, case: Case, by: Membership) -> ServicePlan:
    """The case's plan with its first draft."""
    case = Case.objects.select_for_update().select_related("client", "unit__organisation").get(pk=case.pk)
    permissions.require(by, "plan.edit", case)
    if ServicePlan.objects.filter(case=case).exists():
        raise ValidationError(_("The case already has a service plan."))
    plan = ServicePlan.objects.create(
        case=case,
        client=case.client,
        organisation=case.unit.organisation,
        register=register_for(case),
        created_by=by,
    )
    version = PlanVersion.objects.create(plan=plan, number=1, created_by=by)
    audit_write(by, "plan.start", version, plan)
    return plan


@transaction.atomic
def update_draft(
    *,
    version: PlanVersion,
    by: Membership,
    summary: str,
    review_interval_weeks: int,
    expected_version: str | None = None,
) -> PlanVersion:
    """The draft's situation and review rhythm; refused if changed since `expected_version`."""
    version = draft_of(version)
    permissions.require(by, "plan.edit", version.plan.case)
    edits.check_version(
        version,
        expected_version,
        message=_("%(who)s changed the plan's details at %(time)s after you opened them."),
        actions=("plan.edit",),
    )
    version.summary = summary
    version.review_interval_weeks = review_interval_weeks
    version.full_clean(exclude=["plan", "created_by", "based_on", "agreed_by"])
    version.save(update_fields=["summary", "review_interval_weeks", "updated_at"])
    audit_write(by, "plan.edit", version, version.plan)
    return version


def _check_goal(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("text", "")).strip():
        errors["text"] = _("Write the goal as the client says it.")
    for field in GOAL_FIELDS[1:6]:
        if not str(values.get(field, "")).strip():
            errors[field] = _("Describe what this level looks like.")
    if values.get("baseline_level") not in gas.LEVELS:
        errors["baseline_level"] = _("Choose the level at the start, from −2 to +2.")
    weight = values.get("weight")
    if not isinstance(weight, int) or not 1 <= weight <= 10:
        errors["weight"] = _("The weight is a whole number from 1 to 10.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_goal(
    *,
    version: PlanVersion,
    by: Membership,
    goal: Goal | None = None,
    expected_version: str | None = None,
    **values: Any,
) -> Goal:
    """Add a goal to the draft, or change one of its goals. The client's words are kept as typed. A
    change is refused if the goal was saved by someone else after `expected_version`."""
    version = draft_of(version)
    permissions.require(by, "plan.edit", version.plan.case)
    unknown = set(values) - set(GOAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown goal fields: {sorted(unknown)}")
    if goal is not None and goal.version_id != version.pk:
        raise ValidationError(_("The goal is not in this version."))
    if goal is not None:
        goal = edits.check_version(
            goal,
            expected_version,
            message=_("%(who)s changed this goal at %(time)s after you opened it."),
            actions=("plan.goal.save",),
        )
    merged = ({f: getattr(goal, f) for f in GOAL_FIELDS} if goal else {}) | values
    _check_goal(merged)
    if goal is None:
        position = (version.goals.aggregate(m=Max("position"))["m"] or 0) + 1
        goal = Goal(version=version, position=position)
    for field, value in merged.items():
        setattr(goal, field, value)
    goal.save()
    audit_write(by, "plan.goal.save", goal, version.plan, version=version.number)
    return goal


@transaction.atomic
def remove_goal(*, goal: Goal, by: Membership) -> None:
    version = draft_of(goal.version)
    permissions.require(by, "plan.edit", version.plan.case)
    audit_write(by, "plan.goal.remove", goal, version.plan, version=version.number)
    goal.actions.all().delete()
    goal.delete()


def _check_action(values: dict[str, Any]) -> None:
    action = PlanAction(**{f: values.get(f) for f in ACTION_FIELDS if f in values})
    action.responsible_name = action.responsible_name or ""
    errors: dict[str, Any] = {}
    if not str(values.get("what", "")).strip():
        errors["what"] = _("Say what is done.")
    try:
        action.clean_fields(exclude=["goal", "what", "key", "position", "service", "from_recommendation"])
        action.clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def _check_links(values: dict[str, Any], *, version: PlanVersion, action: PlanAction | None) -> None:
    """A catalogue service is chosen among the active ones (an action keeps a service that has been
    retired since); a recommendation comes from a concluded assessment of the plan's own case."""
    service = values.get("service")
    if service is not None and not service.is_active and (action is None or action.service_id != service.pk):
        raise ValidationError({"service": _("This service is no longer active in the catalogue.")})
    recommendation = values.get("from_recommendation")
    if recommendation is None or (action is not None and action.from_recommendation_id == recommendation.pk):
        return
    assessment = recommendation.assessment
    if assessment.case_id != version.plan.case_id or not assessment.is_concluded:
        raise ValidationError(_("The recommendation is not of a concluded assessment in this case."))


@transaction.atomic
def save_action(
    *,
    goal: Goal,
    by: Membership,
    action: PlanAction | None = None,
    expected_version: str | None = None,
    **values: Any,
) -> PlanAction:
    """Add an action under a goal of the draft, or change one; a change is refused if the action was
    saved by someone else after `expected_version`."""
    version = draft_of(goal.version)
    permissions.require(by, "plan.edit", version.plan.case)
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown action fields: {sorted(unknown)}")
    if action is not None and action.goal_id != goal.pk:
        raise ValidationError(_("The action is not under this goal."))
    if action is not None:
        action = edits.check_version(
            action,
            expected_version,
            message=_("%(who)s changed this action at %(time)s after you opened it."),
            actions=("plan.action.save",),
        )
    merged = ({f: getattr(action, f) for f in ACTION_FIELDS} if action else {}) | values
    merged["service_name"] = (merged.get("service_name") or "").strip() or None
    _check_action(merged)
    _check_links(merged, version=version, action=action)
    if action is None:
        position = (goal.actions.aggregate(m=Max("position"))["m"] or 0) + 1
        action = PlanAction(goal=goal, position=position)
    for field, value in merged.items():
        setattr(action, field, value)
    action.save()
    audit_write(by, "plan.action.save", action, version.plan, version=version.number)
    return action


@transaction.atomic
def remove_action(*, action: PlanAction, by: Membership) -> None:
    version = draft_of(action.goal.version)
    permissions.require(by, "plan.edit", version.plan.case)
    audit_write(by, "plan.action.remove", action, version.plan, version=version.number)
    action.delete()


def plan_event(plan: ServicePlan, kind: str, *, on: date, by: Membership, **links: Any) -> PlanEvent:
    """A dated event of the plan (agreed, reviewed, goal attained) for the indicators."""
    return PlanEvent.objects.create(
        kind=kind,
        on=on,
        plan=plan,
        case=plan.case,
        unit=plan.case.unit,
        organisation=plan.organisation,
        by=by,
        **links,
    )
