"""Every write of service plans: starting a plan, editing its draft (goals, GAS levels, actions),
agreeing it with the client, starting a new version, and recording reviews. Each checks permission,
validates first, and writes in one transaction with the history row, the audit event and the
timeline entry."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts import permissions
from polku.accounts.models import Membership, OrganisationKind
from polku.audit import services as audit
from polku.clients import edits, progress, timeline
from polku.clients.models import Case, Register
from polku.plans import gas
from polku.plans.models.plan import (
    ActionProgress,
    ActionStatus,
    AgreedPlanIsFixed,
    AgreementMethod,
    Goal,
    GoalRating,
    PlanAction,
    PlanEvent,
    PlanEventKind,
    PlanReview,
    PlanVersion,
    PlanVersionStatus,
    ReviewDecision,
    ReviewMeasure,
    ServicePlan,
)

__all__ = [
    "ACTION_FIELDS",
    "GOAL_FIELDS",
    "PlanChanged",
    "agree_version",
    "agreement_token",
    "record_action_progress",
    "record_review",
    "remove_action",
    "remove_goal",
    "save_action",
    "save_goal",
    "start_plan",
    "start_revision",
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


def _draft(version: PlanVersion) -> PlanVersion:
    """The version locked for writing; refused unless it is still a draft."""
    version = PlanVersion.objects.select_for_update().select_related("plan__case__client").get(pk=version.pk)
    if version.is_agreed:
        raise AgreedPlanIsFixed()
    return version


def _audit(by: Membership, action: str, obj: Any, plan: ServicePlan, **details: Any) -> None:
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
    _audit(by, "plan.start", version, plan)
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
    version = _draft(version)
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
    _audit(by, "plan.edit", version, version.plan)
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
    version = _draft(version)
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
    _audit(by, "plan.goal.save", goal, version.plan, version=version.number)
    return goal


@transaction.atomic
def remove_goal(*, goal: Goal, by: Membership) -> None:
    version = _draft(goal.version)
    permissions.require(by, "plan.edit", version.plan.case)
    _audit(by, "plan.goal.remove", goal, version.plan, version=version.number)
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
    version = _draft(goal.version)
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
    _audit(by, "plan.action.save", action, version.plan, version=version.number)
    return action


@transaction.atomic
def remove_action(*, action: PlanAction, by: Membership) -> None:
    version = _draft(action.goal.version)
    permissions.require(by, "plan.edit", version.plan.case)
    _audit(by, "plan.action.remove", action, version.plan, version=version.number)
    action.delete()


def _event(plan: ServicePlan, kind: str, *, on: date, by: Membership, **links: Any) -> PlanEvent:
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
    return f"{_content_hash(version)}/{timezone.now().isoformat()}"


PLAN_WRITES = {
    "plan.edit": gettext_lazy("%(who)s changed the plan's situation or review rhythm at %(time)s."),
    "plan.goal.save": gettext_lazy("%(who)s changed or added a goal at %(time)s."),
    "plan.goal.remove": gettext_lazy("%(who)s removed a goal at %(time)s."),
    "plan.action.save": gettext_lazy("%(who)s changed or added an action at %(time)s."),
    "plan.action.remove": gettext_lazy("%(who)s removed an action at %(time)s."),
}


class PlanChanged(ValidationError):
    """The draft changed after the agree form was opened; the message says who changed what, when."""


def _check_agreed_content(version: PlanVersion, token: str) -> None:
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
    version = _draft(version)
    plan = version.plan
    permissions.require(by, "plan.edit", plan.case)
    if agreed_content:
        _check_agreed_content(version, agreed_content)
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
    version.agreed_by, version.agreed_at = by, timezone.now()
    version.save(
        update_fields=["status", "agreed_on", "agreement_method", "agreed_by", "agreed_at", "updated_at"]
    )
    plan.next_review_on = agreed_on + timedelta(weeks=version.review_interval_weeks)
    plan.save(update_fields=["next_review_on", "updated_at"])
    _event(plan, PlanEventKind.AGREED, on=agreed_on, by=by, version=version)
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
    _audit(by, "plan.agree", version, plan, version=version.number, method=method)
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
    _audit(by, "plan.revise", draft, plan, version=draft.number, based_on=agreed.number)
    return draft


@transaction.atomic
def record_review(
    *,
    plan: ServicePlan,
    by: Membership,
    held_on: date,
    levels: dict[int, int],
    decision: str,
    notes: str = "",
    responses: list[Any] | None = None,
) -> PlanReview:
    """A review of the latest agreed version: the attained level of every goal (by goal id), the T-score
    (Kiresuk-Sherman, the goals' weights, correlation 0.3), the questionnaire responses taken as
    measures, notes and the decision. The next review falls due one rhythm later; a goal reaching its
    expected level (0 or more) for the first time is counted as attained."""
    from polku.instruments.models import Response

    plan = (
        ServicePlan.objects.select_for_update().select_related("case__client", "case__unit").get(pk=plan.pk)
    )
    permissions.require(by, "plan.review", plan.case)
    version = plan.versions.filter(status=PlanVersionStatus.AGREED).order_by("-number").first()
    if version is None:
        raise ValidationError(_("Only an agreed plan can be reviewed."))
    goals = list(version.goals.all())
    errors: dict[str, str] = {}
    for goal in goals:
        if levels.get(goal.pk) not in gas.LEVELS:
            errors[f"goal_{goal.pk}"] = _("Choose the level attained, from −2 to +2.")
    if set(levels) - {goal.pk for goal in goals}:
        errors["__all__"] = _("A rating names a goal that is not in the agreed plan.")
    if decision not in ReviewDecision.values:
        errors["decision"] = _("Choose what was decided.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("A review cannot be recorded in the future.")
    elif version.agreed_on and held_on < version.agreed_on:
        errors["held_on"] = _("The review cannot be before the plan was agreed.")
    responses = list(responses or [])
    for response in responses:
        if (
            not isinstance(response, Response)
            or response.client_id != plan.client_id
            or not response.is_completed
            or not permissions.can(by, "response.view", response)
        ):
            errors["responses"] = _("Choose completed questionnaires of this client that you may read.")
    if errors:
        raise ValidationError(errors)
    score = gas.t_score([levels[g.pk] for g in goals], [g.weight for g in goals])
    review = PlanReview.objects.create(
        plan=plan,
        version=version,
        held_on=held_on,
        t_score=round(score, 2),
        notes=notes,
        decision=decision,
        recorded_by=by,
    )
    GoalRating.objects.bulk_create(GoalRating(review=review, goal=g, level=levels[g.pk]) for g in goals)
    ReviewMeasure.objects.bulk_create(ReviewMeasure(review=review, response=r) for r in responses)
    _event(plan, PlanEventKind.REVIEW_HELD, on=held_on, by=by, version=version, review=review)
    already = set(plan.events.filter(kind=PlanEventKind.GOAL_ATTAINED).values_list("goal_key", flat=True))
    for goal in goals:
        if levels[goal.pk] >= 0 and goal.key not in already:
            _event(
                plan,
                PlanEventKind.GOAL_ATTAINED,
                on=held_on,
                by=by,
                version=version,
                review=review,
                goal_key=goal.key,
            )
            timeline.add(
                plan.client,
                "plan.goal_attained",
                by=by,
                case=plan.case,
                obj=review,
                register=plan.register,
                params={"goal": goal.text[:200], "level": levels[goal.pk]},
            )
    latest = plan.reviews.order_by("-held_on", "-id").values_list("held_on", flat=True).first()
    plan.next_review_on = (
        None
        if decision == ReviewDecision.CLOSE
        else (latest or held_on) + timedelta(weeks=version.review_interval_weeks)
    )
    plan.save(update_fields=["next_review_on", "updated_at"])
    timeline.add(
        plan.client,
        "plan.reviewed",
        by=by,
        case=plan.case,
        obj=review,
        register=plan.register,
        params={"t_score": f"{score:.1f}", "decision": decision, "on": held_on.isoformat()},
        text=notes,
    )
    _audit(by, "plan.review", review, plan, t_score=round(score, 2), decision=decision)
    return review


@transaction.atomic
def record_action_progress(
    *, action: PlanAction, by: Membership, status: str, on: date | None = None, note: str = ""
) -> ActionProgress:
    """Record how an action of an agreed version is going (done, in progress ...) without a new version:
    a history row matched to the action by its key; the agreed version's own text stays as agreed."""
    version = action.goal.version
    plan = ServicePlan.objects.select_for_update().select_related("case__client").get(pk=version.plan_id)
    permissions.require(by, "plan.edit", plan.case)
    on = on or timezone.localdate()
    errors: dict[str, Any] = {}
    if not version.is_agreed:
        errors["__all__"] = _("The action is in a draft: change its status in the draft instead.")
    if status not in ActionStatus.values:
        errors["status"] = _("Choose the status from the list.")
    if on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif version.agreed_on and on < version.agreed_on:
        errors["on"] = _("The date is before the plan version was agreed.")
    if errors:
        raise ValidationError(errors)
    progress = ActionProgress.objects.create(
        plan=plan, action_key=action.key, status=status, on=on, note=note.strip(), by=by
    )
    timeline.add(
        plan.client,
        "plan.action_progress",
        by=by,
        case=plan.case,
        obj=action,
        register=plan.register,
        params={"action": action.what[:200], "status": status},
    )
    _audit(by, "plan.action.progress", action, plan, status=status, on=on.isoformat())
    return progress
