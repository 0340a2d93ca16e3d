"""Progress of a plan: the GAS T-scores and goal levels over its reviews (the client overview's chart)
and the latest progress of each action of an agreed version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.core import sql
from polku.plans.models import (
    ActionProgress,
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
    goal's level (goals followed by their key across versions). Four queries at most: the plan, whether
    the viewer may read it (`plan.view`), the agreed version with its goals, the reviews with their
    ratings; written as SQL (`core.sql`), since every client overview reads them and the ORM took
    milliseconds to build them."""
    if current is None:
        return None
    found = sql.rows(
        f"SELECT {sql.columns(ServicePlan, 'plan')} FROM plans_serviceplan plan WHERE plan.case_id = %s",  # noqa: S608
        [current.pk],
    )
    if not found:
        return None
    [plan] = sql.instances(found[0], ServicePlan)
    if plan.client_id == client.pk:
        plan.client = client  # the page's client: the rule reads it, and the ORM read it with the plan
    if not permissions.can(viewer, "plan.view", plan):
        return None
    agreed, goals = _agreed_version(plan)
    points: list[ProgressPoint] = []
    for held_on, t_score, levels in _reviews(plan):
        points.append(ProgressPoint(held_on, t_score, [levels.get(key) for key, _ in goals]))
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
        goals=[text for _, text in goals],
        points=points,
        next_review_on=plan.next_review_on,
    )


def _agreed_version(plan: ServicePlan) -> tuple[PlanVersion | None, list[tuple[Any, str]]]:
    """The plan's newest agreed version and its goals' keys and texts in their order; one query."""
    version_rows = sql.rows(
        f"""
        SELECT {sql.columns(PlanVersion, "version")}, goal.key, goal.text
        FROM plans_planversion version
            LEFT JOIN plans_goal goal ON goal.version_id = version.id
        WHERE version.id = (
            SELECT newest.id FROM plans_planversion newest
            WHERE newest.plan_id = %s AND newest.status = %s
            ORDER BY newest.number DESC
            LIMIT 1
        )
        ORDER BY goal.position, goal.id
        """,  # noqa: S608 - only a column list and placeholders are formatted in
        [plan.pk, PlanVersionStatus.AGREED.value],
    )
    if not version_rows:
        return None, []
    width = len(PlanVersion._meta.concrete_fields)
    [agreed] = sql.instances(version_rows[0][:width], PlanVersion)
    goals = [(key, text) for *_, key, text in version_rows if key is not None]
    return agreed, goals


def _reviews(plan: ServicePlan) -> list[tuple[date, float, dict[Any, int]]]:
    """The plan's reviews in their order, each with its goals' levels by the goal's key (the levels of
    a review in the ratings' order, so that a later rating of the same key counts); one query."""
    reviews: dict[int, tuple[date, float, dict[Any, int]]] = {}
    for review_id, held_on, t_score, key, level in sql.rows(
        """
        SELECT review.id, review.held_on, review.t_score, goal.key, rating.level
        FROM plans_planreview review
            LEFT JOIN plans_goalrating rating ON rating.review_id = review.id
            LEFT JOIN plans_goal goal ON goal.id = rating.goal_id
        WHERE review.plan_id = %s
        ORDER BY review.held_on, review.id, goal.position, rating.goal_id
        """,
        [plan.pk],
    ):
        if review_id not in reviews:
            reviews[review_id] = (_date(held_on), float(t_score), {})
        if key is not None:
            reviews[review_id][2][key] = level
    return list(reviews.values())


def _date(value: Any) -> date:
    """A date column as `core.sql` reads it (SQLite may hand back text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


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
