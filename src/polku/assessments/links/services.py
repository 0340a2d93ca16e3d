"""Links between the areas: a recommendation of a concluded assessment becomes an action of the case's
service plan. The assessment stays locked; the link is kept on the action (`from_recommendation`) and is
copied into later versions with the action's other fields."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.assessments.models import Recommendation
from polku.audit import services as audit
from polku.plans import services as plan_services
from polku.plans.models.plan import PlanAction, PlanVersion, ServicePlan

__all__ = ["action_in_plan", "add_recommendation_to_plan"]


def action_in_plan(recommendation: Recommendation, plan: ServicePlan) -> PlanAction | None:
    """The action made from the recommendation in the plan's latest version (the draft when there is
    one), if any."""
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").values("pk")[:1]
    return (
        PlanAction.objects.filter(from_recommendation=recommendation, goal__version__in=latest)
        .select_related("goal__version")
        .first()
    )


@transaction.atomic
def add_recommendation_to_plan(
    *, recommendation: Recommendation, goal_key: uuid.UUID | str, by: Membership, **values: Any
) -> PlanAction:
    """An action made from the recommendation under the goal (`goal_key`, the goal's key across versions)
    of the plan's draft. When the latest version is agreed, a new draft is started from it first, as the
    plan page's "Change the plan" does. `values`: the action's fields (`what` defaults to the text)."""
    assessment = recommendation.assessment
    plan = ServicePlan.objects.filter(case_id=assessment.case_id).select_related("case__client").first()
    if plan is None:
        raise ValidationError(_("The case has no service plan yet. Start the plan first."))
    permissions.require(by, "plan.edit", plan.case)
    if not assessment.is_concluded:
        raise ValidationError(_("Only the recommendations of a concluded assessment go to the plan."))
    if action_in_plan(recommendation, plan) is not None:
        raise ValidationError(_("This recommendation is already in the service plan."))
    draft = plan_services.start_revision(plan=plan, by=by)
    goal = draft.goals.filter(key=goal_key).first()
    if goal is None:
        raise ValidationError({"goal": _("Choose a goal of the plan.")})
    values.setdefault("what", recommendation.text)
    action = plan_services.save_action(goal=goal, by=by, from_recommendation=recommendation, **values)
    audit.record(
        by,
        "plan.action.from_recommendation",
        action,
        client=plan.client,
        details={"recommendation": str(recommendation.public_id), "version": draft.number},
    )
    return action
