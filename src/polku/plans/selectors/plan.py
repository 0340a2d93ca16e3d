"""Reads of service plans, scoped by `accounts.permissions` (`plan.view`: the client relationship and
the register's consent rules), prefetched so that each page runs a fixed number of queries."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import access
from polku.clients import selectors as client_selectors
from polku.clients.models import Case, Client
from polku.core import sql
from polku.plans.models import (
    Goal,
    GoalRating,
    PlanAction,
    PlanReview,
    PlanVersion,
    ServicePlan,
)

__all__ = [
    "REVIEW_DUE_DAYS",
    "action_for",
    "case_with_plan",
    "catalogue_for_actions",
    "goal_for",
    "plan_for",
    "plan_for_export",
    "responses_for_review",
    "review_due_case_ids",
    "review_for",
    "review_overdue_case_ids",
    "reviews_of",
    "version_for",
    "versions_of",
    "versions_with_content",
    "with_content",
]

REVIEW_DUE_DAYS = 7


def _plans() -> QuerySet[ServicePlan]:
    return ServicePlan.objects.select_related(
        "client", "organisation", "case__unit__organisation", "case__personal_worker__user"
    )


def _require_view(viewer: Membership, plan: ServicePlan) -> None:
    permissions.require(viewer, "plan.view", plan, hide=True)


def case_with_plan(*, viewer: Membership, public_id: uuid.UUID | str) -> tuple[Case, ServicePlan | None]:
    """The case (404 unless the viewer sees the client and may know of the case) and its plan if the
    viewer may read it."""
    case = client_selectors.case_for(viewer=viewer, public_id=public_id)
    if not access.knows_of_case(viewer, case):
        permissions.refuse(viewer, "plan.view", case, hide=True)
    plan = _plans().filter(case=case).first()
    if plan is not None:
        _require_view(viewer, plan)
    return case, plan


def plan_for(*, viewer: Membership, public_id: uuid.UUID | str) -> ServicePlan:
    plan = _plans().filter(public_id=public_id).first()
    if plan is None:
        raise Http404
    _require_view(viewer, plan)
    return plan


def version_for(*, viewer: Membership, public_id: uuid.UUID | str) -> PlanVersion:
    version = (
        PlanVersion.objects.select_related(
            "plan__client",
            "plan__organisation",
            "plan__case__unit__organisation",
            "agreed_by__user",
            "agreed_by__unit__organisation",
        )
        .filter(public_id=public_id)
        .first()
    )
    if version is None:
        raise Http404
    _require_view(viewer, version.plan)
    return version


def goal_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Goal:
    goal = (
        Goal.objects.select_related("version__plan__client", "version__plan__case__unit")
        .filter(public_id=public_id)
        .first()
    )
    if goal is None:
        raise Http404
    _require_view(viewer, goal.version.plan)
    return goal


def action_for(*, viewer: Membership, public_id: uuid.UUID | str) -> PlanAction:
    action = (
        PlanAction.objects.select_related("goal__version__plan__client", "goal__version__plan__case__unit")
        .filter(public_id=public_id)
        .first()
    )
    if action is None:
        raise Http404
    _require_view(viewer, action.goal.version.plan)
    return action


def review_for(*, viewer: Membership, public_id: uuid.UUID | str) -> PlanReview:
    review = (
        PlanReview.objects.select_related(
            "plan__client",
            "plan__case__unit",
            "version",
            "recorded_by__user",
            "recorded_by__unit__organisation",
        )
        .prefetch_related(
            Prefetch("ratings", queryset=GoalRating.objects.select_related("goal")),
            "measures__response__version__instrument",
            "measures__response__band",
        )
        .filter(public_id=public_id)
        .first()
    )
    if review is None:
        raise Http404
    _require_view(viewer, review.plan)
    return review


def catalogue_for_actions(current: Any = None) -> list[Any]:
    """The catalogue's active services for the action form (and `current`, the action's own service,
    should it have been retired since), by category and name in the current language. One query."""
    from polku.network.models import Service

    chosen = Q(is_active=True, category__is_active=True)
    if current is not None:
        chosen |= Q(pk=current.pk)
    services = list(Service.objects.filter(chosen).select_related("category"))
    return sorted(services, key=lambda s: (s.category.position, s.category.name, s.name.lower()))


def versions_with_content(versions: QuerySet[PlanVersion]) -> QuerySet[PlanVersion]:
    actions: QuerySet[PlanAction] = PlanAction.objects.select_related("service").order_by("position", "id")
    goals: QuerySet[Goal] = Goal.objects.order_by("position", "id")
    return versions.select_related("agreed_by__user", "agreed_by__unit__organisation").prefetch_related(
        Prefetch(
            "goals",
            queryset=goals.prefetch_related(Prefetch("actions", queryset=actions)),
        )
    )


def with_content(version: PlanVersion, *, with_previous: bool = False) -> dict[int, PlanVersion]:
    """A version read through `version_for` (so the viewer may see it), and with `with_previous` the version
    it was based on (of the same plan, so under the same permission), again with their goals, actions and
    services, by id: one query for the versions and one each for goals and actions."""
    ids = [version.pk, version.based_on_id] if with_previous else [version.pk]
    return {
        v.pk: v
        for v in versions_with_content(PlanVersion.objects.filter(plan_id=version.plan_id, pk__in=ids))
    }


def versions_of(plan: ServicePlan) -> list[PlanVersion]:
    """Every version with its goals and actions, newest first (three queries)."""
    return list(versions_with_content(plan.versions.all()).order_by("-number"))


def reviews_of(plan: ServicePlan) -> list[PlanReview]:
    return list(
        plan.reviews.select_related("version", "recorded_by__user", "recorded_by__unit__organisation")
        .prefetch_related(Prefetch("ratings", queryset=GoalRating.objects.select_related("goal")))
        .order_by("-held_on", "-id")
    )


# --- Caseload flags: one query for both -------------------------------------------------------------------

_NEXT_REVIEW = "_polku_plan_next_review"


def _next_reviews(cases: list[Case]) -> dict[int, date | None]:
    """Each case's next plan review, read in one query for the page and kept on the case objects, so
    that the second flag asks nothing more. Written as SQL (`core.sql`): every caseload request asks it,
    and built by the ORM the query cost the page 0.33 ms of CPU, as SQL 0.09 (bench/README.md)."""
    if any(not hasattr(case, _NEXT_REVIEW) for case in cases):
        listed, case_ids = sql.in_list(case.pk for case in cases)
        found = {
            case_id: on if isinstance(on, date) else date.fromisoformat(on)  # SQLite: ISO text
            for case_id, on in sql.rows(
                f"SELECT case_id, next_review_on FROM plans_serviceplan "  # noqa: S608 - values are parameters
                f"WHERE case_id IN {listed} AND next_review_on IS NOT NULL",
                case_ids,
            )
        }
        for case in cases:
            setattr(case, _NEXT_REVIEW, found.get(case.pk))
    return {case.pk: getattr(case, _NEXT_REVIEW) for case in cases}


def review_due_case_ids(viewer: Membership, cases: list[Case]) -> set[int]:
    """Cases of the page whose plan review falls due within a week (today included)."""
    today = timezone.localdate()
    soon = today + timedelta(days=REVIEW_DUE_DAYS)
    return {pk for pk, on in _next_reviews(cases).items() if on is not None and today <= on <= soon}


def review_overdue_case_ids(viewer: Membership, cases: list[Case]) -> set[int]:
    today = timezone.localdate()
    return {pk for pk, on in _next_reviews(cases).items() if on is not None and on < today}


# --- Measures at a review ------------------------------------------------------------------------------


def responses_for_review(plan: ServicePlan, *, viewer: Membership) -> list[Any]:
    """The client's completed questionnaire responses the viewer may read, newest first."""
    from polku.instruments.models import Response

    return list(
        Response.objects.current()
        .filter(client=plan.client)
        .filter(access.disclosed_records(viewer, client=plan.client))
        .select_related("version__instrument", "band")
        .order_by("-completed_at", "-id")[:50]
    )


def plan_for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's plans the viewer may read, for the client's data export; every plan without a
    viewer (the client's own download, `clients.export`)."""
    if viewer is not None and not access.sees_client(viewer, client):
        return []
    records = []
    plans = (
        ServicePlan.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client) if viewer is not None else Q())
        .select_related("organisation")
        .prefetch_related(
            Prefetch("versions", queryset=versions_with_content(PlanVersion.objects.order_by("number"))),
            Prefetch("reviews", queryset=PlanReview.objects.prefetch_related("ratings__goal")),
        )
    )
    for plan in plans:
        for version in plan.versions.all():
            goals = [
                {
                    "goal": goal.text,
                    "levels": {str(level): text for level, text in goal.levels()},
                    "baseline": goal.baseline_level,
                    "weight": goal.weight,
                    "actions": [
                        {
                            "what": a.what,
                            "responsible": a.get_responsible_display(),
                            "service": a.service.name if a.service else (a.service_name or ""),
                            "due_on": a.due_on.isoformat() if a.due_on else None,
                            "status": a.get_status_display(),
                        }
                        for a in goal.actions.all()
                    ],
                }
                for goal in version.goals.all()
            ]
            records.append(
                {
                    "summary": f"{plan.organisation.display_name}: v{version.number} "
                    f"({version.get_status_display()})",
                    "version": version.number,
                    "status": version.status,
                    "agreed_on": version.agreed_on.isoformat() if version.agreed_on else None,
                    "goals": goals,
                }
            )
        for review in plan.reviews.all():
            records.append(
                {
                    "summary": f"{plan.organisation.display_name}: review {review.held_on.isoformat()}, "
                    f"T-score {review.t_score}",
                    "held_on": review.held_on.isoformat(),
                    "t_score": review.t_score,
                    "decision": review.get_decision_display(),
                    "levels": {r.goal.text: r.level for r in review.ratings.all()},
                    "notes": review.notes,
                }
            )
    return records
