"""The follow-up of an agreed plan: reviews (GAS ratings, T-score, measures, the decision and the next
review date) and the progress of its actions. Each checks permission, validates first, and writes in
one transaction with the event, the audit event and the timeline entry."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import timeline
from polku.plans import gas
from polku.plans.models import (
    ActionProgress,
    ActionStatus,
    GoalRating,
    PlanAction,
    PlanEventKind,
    PlanReview,
    PlanVersionStatus,
    ReviewDecision,
    ReviewMeasure,
    ServicePlan,
)
from polku.plans.services.plan import audit_write, plan_event

__all__ = ["record_action_progress", "record_review"]


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
    plan_event(plan, PlanEventKind.REVIEW_HELD, on=held_on, by=by, version=version, review=review)
    already = set(plan.events.filter(kind=PlanEventKind.GOAL_ATTAINED).values_list("goal_key", flat=True))
    for goal in goals:
        if levels[goal.pk] >= 0 and goal.key not in already:
            plan_event(
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
    audit_write(by, "plan.review", review, plan, t_score=round(score, 2), decision=decision)
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
    audit_write(by, "plan.action.progress", action, plan, status=status, on=on.isoformat())
    return progress
