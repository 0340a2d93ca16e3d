"""Reads of the links between an assessment's recommendations and the service plan, scoped like the
plan itself: a viewer who may not read the plan (another organisation without the client's consent)
learns nothing of it from the assessment page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.assessments.models import Assessment, Recommendation
from polku.plans.models.plan import PlanAction, PlanVersion, ServicePlan

__all__ = ["RecommendationLinks", "plan_goals", "plan_to_edit", "recommendation_for", "recommendation_links"]


@dataclass
class RecommendationLinks:
    """The case's plan (None when there is none or the viewer may not read it), whether the viewer may
    add recommendations to it, and the action each recommendation became in the plan's latest version."""

    plan: ServicePlan | None = None
    can_add: bool = False
    actions: dict[int, PlanAction] = field(default_factory=dict)


def recommendation_links(
    assessment: Assessment, recommendations: list[Recommendation], *, viewer: Membership
) -> RecommendationLinks:
    """For the assessment page: nothing unless it is concluded with recommendations; then the plan and
    its check (two queries, one more for the actions)."""
    if not assessment.is_concluded or not recommendations:
        return RecommendationLinks()
    case = assessment.case
    can_edit = permissions.can(viewer, "plan.edit", case)
    plan = ServicePlan.objects.filter(case=case).select_related("client").first()
    if plan is None:
        return RecommendationLinks(can_add=can_edit)
    if not permissions.can(viewer, "plan.view", plan):
        return RecommendationLinks()
    latest = PlanVersion.objects.filter(plan=plan).order_by("-number").values("pk")[:1]
    actions = {
        action.from_recommendation_id: action
        for action in PlanAction.objects.filter(
            from_recommendation__in=[r.pk for r in recommendations], goal__version__in=latest
        )
    }
    for recommendation in recommendations:
        recommendation.in_plan = actions.get(recommendation.pk)  # type: ignore[attr-defined]
    return RecommendationLinks(plan=plan, can_add=can_edit, actions=actions)  # type: ignore[arg-type]


def recommendation_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Recommendation:
    """A recommendation of a concluded assessment the viewer may read (404 otherwise, audited)."""
    recommendation = (
        Recommendation.objects.select_related(
            "assessment__client", "assessment__case__unit__organisation", "assessment__case__client"
        )
        .filter(public_id=public_id)
        .first()
    )
    if recommendation is None:
        raise Http404
    permissions.require(viewer, "assessment.view", recommendation.assessment, hide=True)
    if not recommendation.assessment.is_concluded:
        raise Http404
    return recommendation


def plan_to_edit(*, viewer: Membership, case: Any) -> ServicePlan | None:
    """The case's plan (or None) for one who may edit it; 403 for others (who already know the case)."""
    permissions.require(viewer, "plan.edit", case)
    return ServicePlan.objects.filter(case=case).select_related("client", "case").first()


def plan_goals(plan: ServicePlan) -> tuple[PlanVersion | None, list[Any]]:
    """The plan's latest version (the draft when there is one) and its goals, for choosing where the
    recommendation goes: a draft's goals, or the agreed goals a new draft will copy."""
    version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    return version, list(version.goals.order_by("position", "id")) if version else []
