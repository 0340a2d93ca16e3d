"""My plan: the agreed plans with my own ratings and marks, my own goals and actions, and the drafts my
team asked me to agree."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from polku.clients.models import Client
from polku.plans import selectors as plan_selectors
from polku.plans.models import (
    Goal,
    GoalRating,
    PlanAction,
    PlanVersion,
    PlanVersionStatus,
    Responsible,
    ServicePlan,
)
from polku.portal.models import (
    ActionMark,
    GoalSelfRating,
)


def agreed_plans(client: Client) -> list[dict[str, Any]]:
    """My agreed plans (the newest agreed version of each open case's plan) with goals, GAS levels, the
    worker's review ratings and my own ratings, and the actions with who does them and my marks."""
    plans = list(
        ServicePlan.objects.filter(client=client, case__closed_on__isnull=True).select_related("case__unit")
    )
    result = []
    for plan in plans:
        version = (
            PlanVersion.objects.filter(plan=plan, status=PlanVersionStatus.AGREED)
            .prefetch_related("goals", "goals__actions")  # both ordered by position (their Meta)
            .order_by("-number")
            .first()
        )
        if version is None:
            continue
        ratings: dict[Any, list[tuple[Any, int]]] = {}
        for rating in (
            GoalRating.objects.filter(review__plan=plan)
            .select_related("goal", "review")
            .order_by("review__held_on", "review_id")
        ):
            ratings.setdefault(rating.goal.key, []).append((rating.review.held_on, rating.level))
        mine: dict[Any, GoalSelfRating] = {
            row.goal_key: row for row in GoalSelfRating.objects.filter(plan=plan, client=client)
        }
        marks: dict[Any, ActionMark] = {
            row.action_key: row for row in ActionMark.objects.filter(plan=plan, client=client)
        }
        progress = plan_selectors.current_progress(plan)
        goals = []
        for goal in version.goals.all():
            actions = [
                {
                    "action": action,
                    "mine": action.responsible == Responsible.CLIENT,
                    "progress": progress.get(action.key),
                    "mark": marks.get(action.key),
                }
                for action in goal.actions.all()
            ]
            goals.append(
                {
                    "goal": goal,
                    "ratings": ratings.get(goal.key, []),
                    "mine": mine.get(goal.key),
                    "actions": actions,
                }
            )
        result.append({"plan": plan, "version": version, "goals": goals})
    return result


def own_action(client: Client, public_id: uuid.UUID) -> tuple[PlanAction | None, Any]:
    """(my action of an agreed version given to me, None), or (None, the owner client of another's)."""
    action = (
        PlanAction.objects.select_related("goal__version__plan__client").filter(public_id=public_id).first()
    )
    if action is None:
        return None, None
    plan = action.goal.version.plan
    if plan.client_id != client.pk:
        return None, plan.client
    if not action.goal.version.is_agreed or action.responsible != Responsible.CLIENT:
        return None, client
    return action, None


def own_goal(client: Client, public_id: uuid.UUID) -> tuple[Goal | None, Any]:
    goal = Goal.objects.select_related("version__plan__client").filter(public_id=public_id).first()
    if goal is None:
        return None, None
    if goal.version.plan.client_id != client.pk:
        return None, goal.version.plan.client
    if not goal.version.is_agreed:
        return None, client
    return goal, None


def plans_to_agree(client: Client) -> list[PlanVersion]:
    """Draft plan versions of my open cases that my team has asked me to agree."""
    return list(
        PlanVersion.objects.filter(
            plan__client=client,
            plan__case__closed_on__isnull=True,
            status=PlanVersionStatus.DRAFT,
            client_asked_at__isnull=False,
        )
        .select_related("plan__case__unit")
        .order_by("client_asked_at", "id")
    )


def plan_version_to_agree(client: Client, public_id: uuid.UUID) -> tuple[PlanVersion | None, Any]:
    """(my draft version the team asked me to agree, with its goals and actions, None), or (None, the
    owner client of another client's version, for the audited refusal), or (None, None)."""
    version = (
        PlanVersion.objects.select_related("plan__client", "plan__case__unit")
        .prefetch_related("goals", "goals__actions")
        .filter(public_id=public_id)
        .first()
    )
    if version is None:
        return None, None
    if version.plan.client_id != client.pk:
        return None, version.plan.client
    if version.status != PlanVersionStatus.DRAFT or version.client_asked_at is None:
        return None, None
    return version, None


def plan_version_for_staff(public_id: uuid.UUID) -> PlanVersion:
    """The version a staff address names; the view then scopes its case to the viewer (`case_for`)."""
    version = PlanVersion.objects.select_related("plan__case__client").filter(public_id=public_id).first()
    if version is None:
        raise Http404
    return version
