"""Progress of a plan: the GAS T-scores and goal levels over its reviews (the client overview's chart)
and the latest progress of each action of an agreed version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.plans.models import (
    ActionProgress,
    Goal,
    GoalRating,
    PlanReview,
    PlanVersion,
    PlanVersionStatus,
    ServicePlan,
)

__all__ = ["attach_progress", "current_progress", "plan_progress"]


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 320, 140, 16
T_MIN, T_MAX = 20.0, 80.0


@dataclass
class ProgressPoint:
    held_on: date
    t_score: float
    levels: list[int | None]
    x: float = 0
    y: float = 0


@dataclass
class Progress:
    plan: ServicePlan
    agreed: PlanVersion | None
    goals: list[str]
    points: list[ProgressPoint]
    next_review_on: date | None
    chart_width: int = CHART_WIDTH
    chart_height: int = CHART_HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def y50(self) -> float:
        return _y(50.0)

    @property
    def review_overdue(self) -> bool:
        return self.next_review_on is not None and self.next_review_on < timezone.localdate()


def _y(score: float) -> float:
    inner = CHART_HEIGHT - 2 * CHART_PAD
    clamped = min(max(score, T_MIN), T_MAX)
    return CHART_PAD + inner - (clamped - T_MIN) / (T_MAX - T_MIN) * inner


def plan_progress(client: Client, current: Case | None, *, viewer: Membership) -> Progress | None:
    """The plan of the current case, if the viewer may read it: the T-score of each review and each
    goal's level (goals followed by their key across versions). Four queries at most."""
    if current is None:
        return None
    plan = ServicePlan.objects.filter(case=current).select_related("client").first()
    if plan is None or not permissions.can(viewer, "plan.view", plan):
        return None
    agreed = (
        PlanVersion.objects.filter(plan=plan, status=PlanVersionStatus.AGREED)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position", "id")))
        .order_by("-number")
        .first()
    )
    goals = list(agreed.goals.all()) if agreed else []
    ratings = GoalRating.objects.select_related("goal").only("level", "review_id", "goal__key")
    reviews = list(
        PlanReview.objects.filter(plan=plan)
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("held_on", "id")
    )
    points = []
    for review in reviews:
        by_key = {rating.goal.key: rating.level for rating in review.ratings.all()}
        points.append(ProgressPoint(review.held_on, review.t_score, [by_key.get(g.key) for g in goals]))
    if points:
        first, last = points[0].held_on, points[-1].held_on
        span = (last - first).days
        inner_w = CHART_WIDTH - 2 * CHART_PAD
        for index, point in enumerate(points):
            share = (
                (point.held_on - first).days / span
                if span
                else (index / (len(points) - 1) if len(points) > 1 else 0.5)
            )
            point.x = CHART_PAD + share * inner_w
            point.y = _y(point.t_score)
    return Progress(
        plan=plan,
        agreed=agreed,
        goals=[g.text for g in goals],
        points=points,
        next_review_on=plan.next_review_on,
    )


def current_progress(plan: ServicePlan) -> dict[Any, ActionProgress]:
    """The latest progress record of each action of the plan, by the action's key (one query)."""
    latest: dict[Any, ActionProgress] = {}
    for progress in ActionProgress.objects.filter(plan=plan).select_related("by__user").order_by("at", "id"):
        latest[progress.action_key] = progress
    return latest


def attach_progress(versions: list[PlanVersion], plan: ServicePlan) -> None:
    """Each agreed version's action gets `progress`: its latest progress record, or None."""
    latest = current_progress(plan)
    for version in versions:
        for goal in version.goals.all():
            for action in goal.actions.all():
                action.progress = latest.get(action.key) if version.is_agreed else None  # type: ignore[attr-defined]
