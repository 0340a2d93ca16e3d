"""The service plan panel's progress read as SQL (`selectors.progress.plan_progress`) is what the ORM
reads, field for field, on SQLite and PostgreSQL alike: the newest agreed version with its goals in
their order, each review's T-score and the goals' levels by key; and the plan only to whom `plan.view`
allows it (another organisation under the client's consent)."""

from __future__ import annotations

import pytest
from django.db.models import Prefetch

from polku.accounts import permissions
from polku.clients import access
from polku.clients import services as client_services
from polku.clients.models import Client
from polku.plans import services
from polku.plans.models import Goal, GoalRating, PlanReview, PlanVersion, PlanVersionStatus, ServicePlan
from polku.plans.selectors.progress import plan_progress
from tests.plans.plan.conftest import agreed_plan, days_ago, goal_values
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def orm_progress(plan: ServicePlan):
    """What the panel read through the ORM before: the agreed version's goals, each review's T-score and
    the goals' levels by key."""
    agreed = (
        PlanVersion.objects.filter(plan=plan, status=PlanVersionStatus.AGREED)
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position", "id")))
        .order_by("-number")
        .first()
    )
    goals = list(agreed.goals.all()) if agreed else []
    ratings = GoalRating.objects.select_related("goal").only("level", "review_id", "goal__key")
    reviews = PlanReview.objects.filter(plan=plan).prefetch_related(Prefetch("ratings", queryset=ratings))
    points = []
    for review in reviews.order_by("held_on", "id"):
        by_key = {rating.goal.key: rating.level for rating in review.ratings.all()}
        points.append((review.held_on, review.t_score, [by_key.get(g.key) for g in goals]))
    return agreed, [g.text for g in goals], points


def test_the_progress_is_the_orms(case, worker):
    plan = agreed_plan(case, on=days_ago(300))
    first_goals = list(plan.versions.get().goals.all())
    services.record_review(
        plan=plan,
        by=worker,
        held_on=days_ago(200),
        levels={first_goals[0].pk: 1, first_goals[1].pk: 0},
        decision="revise",
    )
    draft = services.start_revision(plan=plan, by=worker)
    services.save_goal(version=draft, by=worker, **goal_values("Haluan oppia ruotsia"))
    services.agree_version(version=draft, by=worker, agreed_on=days_ago(190), method="phone")
    second_goals = list(PlanVersion.objects.get(pk=draft.pk).goals.all())
    services.record_review(
        plan=plan,
        by=worker,
        held_on=days_ago(100),
        levels={goal.pk: index - 1 for index, goal in enumerate(second_goals)},
        decision="revise",
    )
    services.start_revision(plan=plan, by=worker)  # a draft: not the agreed version

    client = Client.objects.get(pk=case.client_id)
    with permissions.decided_once():
        progress = plan_progress(client, case, viewer=worker)
    agreed, goals, points = orm_progress(plan)
    assert progress is not None and agreed is not None
    same(progress.plan, ServicePlan.objects.get(pk=plan.pk))
    assert progress.plan.client is client
    same(progress.agreed, agreed)
    assert agreed.number == 2 and len(goals) == 3
    assert progress.goals == goals
    assert [(p.held_on, p.t_score, p.levels) for p in progress.points] == points
    assert points[0][2] == [1, 0, None] and points[1][2] == [-1, 0, 1]
    assert progress.next_review_on == ServicePlan.objects.get(pk=plan.pk).next_review_on


def test_a_plan_without_agreed_version_or_reviews(case, worker):
    services.start_plan(case=case, by=worker)
    progress = plan_progress(case.client, case, viewer=worker)
    assert progress is not None
    assert (progress.agreed, progress.goals, progress.points) == (None, [], [])


def test_another_organisation_reads_the_plan_only_under_consent(case, worker, outsider, oulu, espoo):
    agreed_plan(case)
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(3))
    with permissions.decided_once():
        assert plan_progress(case.client, case, viewer=outsider) is None
    plan = ServicePlan.objects.get(case=case)
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        **{f"covers_{plan.register}": True},
        purpose="Yhteistyö",
        valid_from=days_ago(1),
        method="written",
    )
    with permissions.decided_once():
        assert plan_progress(case.client, case, viewer=outsider) is not None


def orm_disclosed(viewer, plan: ServicePlan) -> bool:
    """`plan.view`'s consent question as the ORM asked it before."""
    return (
        ServicePlan.objects.filter(pk=plan.pk)
        .filter(access.disclosed_records(viewer, client=plan.client))
        .exists()
    )


def test_plan_view_asks_the_orms_consent_question_in_sql(case, worker, outsider, oulu, espoo):
    plan = agreed_plan(case)
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(3))
    other = {"social", "health", "employment"} - {plan.register}
    seen = []
    for covers in [None, *sorted(other), plan.register]:
        if covers is not None:
            client_services.record_consent(
                client=case.client,
                by=worker,
                discloser=oulu,
                recipient=espoo,
                **{f"covers_{covers}": True},
                purpose="Yhteistyö",
                valid_from=days_ago(1),
                method="written",
            )
        for viewer in (worker, outsider):
            fresh = ServicePlan.objects.select_related("client").get(pk=plan.pk)
            with permissions.decided_once():
                allowed = permissions.can(viewer, "plan.view", fresh)
            assert allowed == orm_disclosed(viewer, fresh)
            seen.append(allowed)
    # The worker's own organisation's plan always; Espoo's worker only under the consent of its register.
    assert seen == [True, False, True, False, True, False, True, True]
