"""Writing plans: an agreed version never changes (models and services refuse it), a change is a new
version copied from the agreed one, reviews compute the GAS T-score, and each step leaves history rows,
audit events and timeline entries."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from polku.clients.models import TimelineEntry
from polku.plans import services
from polku.plans.models import (
    AgreedPlanIsFixed,
    Goal,
    PlanAction,
    PlanEvent,
    PlanVersion,
    ServicePlan,
)
from tests.plans.plan.conftest import agreed_plan, days_ago, draft_with_goals, events, goal_values, today


def test_the_clients_words_are_stored_as_typed(case, worker):
    plan = services.start_plan(case=case, by=worker)
    words = "  Haluan  töihin,\nmutta en aamuisin!  "
    goal = services.save_goal(version=plan.versions.get(), by=worker, **goal_values(words))

    assert Goal.objects.get(pk=goal.pk).text == words


def test_agreeing_records_date_method_history_timeline_and_next_review(case, worker):
    version = draft_with_goals(case)

    services.agree_version(version=version, by=worker, agreed_on=days_ago(3), method="phone")

    version.refresh_from_db()
    assert version.is_agreed and version.agreed_on == days_ago(3) and version.agreement_method == "phone"
    assert version.plan.next_review_on == days_ago(3) + timedelta(weeks=8)
    event = PlanEvent.objects.get(kind="plan_agreed")
    assert (event.on, event.unit, event.case, event.organisation) == (
        days_ago(3),
        case.unit,
        case,
        case.unit.organisation,
    )
    assert TimelineEntry.objects.filter(kind="plan.agreed", client=case.client).count() == 1
    assert len(events("plan.agree", case.client)) == 1


def test_an_agreed_version_cannot_be_changed_through_the_models(plan):
    version = plan.versions.get()
    goal = version.goals.first()
    action = PlanAction.objects.filter(goal=goal).first()

    version.summary = "muutettu"
    with pytest.raises(AgreedPlanIsFixed):
        version.save()
    goal.text = "muutettu"
    with pytest.raises(AgreedPlanIsFixed):
        goal.save()
    with pytest.raises(AgreedPlanIsFixed):
        goal.delete()
    action.what = "muutettu"
    with pytest.raises(AgreedPlanIsFixed):
        action.save()
    with pytest.raises(AgreedPlanIsFixed):
        Goal.objects.create(version=version, **goal_values())
    with pytest.raises(AgreedPlanIsFixed):
        PlanVersion.objects.filter(pk=version.pk).update(summary="muutettu")
    with pytest.raises(AgreedPlanIsFixed):
        version.delete()
    assert Goal.objects.get(pk=goal.pk).text == "Haluan päästä työkokeiluun keittiöön"


def test_an_agreed_version_cannot_be_changed_through_the_services(plan, worker):
    version = plan.versions.get()
    goal = version.goals.first()

    for attempt in (
        lambda: services.save_goal(version=version, by=worker, **goal_values("uusi")),
        lambda: services.save_goal(version=version, goal=goal, by=worker, text="muutettu"),
        lambda: services.remove_goal(goal=goal, by=worker),
        lambda: services.save_action(goal=goal, by=worker, what="x", responsible="client"),
        lambda: services.remove_action(action=goal.actions.first(), by=worker),
        lambda: services.update_draft(version=version, by=worker, summary="x", review_interval_weeks=4),
        lambda: services.agree_version(version=version, by=worker, agreed_on=today(), method="phone"),
    ):
        with translation.override("en"), pytest.raises(ValidationError, match="cannot be changed"):
            attempt()
    assert version.goals.count() == 2


def test_a_change_is_a_new_draft_copied_from_the_agreed_version(plan, worker):
    agreed = plan.versions.get()

    draft = services.start_revision(plan=plan, by=worker)

    assert (draft.number, draft.status, draft.based_on) == (2, "draft", agreed)
    assert [(g.key, g.text) for g in draft.goals.all()] == [(g.key, g.text) for g in agreed.goals.all()]
    assert draft.goals.first().actions.count() == 1
    assert services.start_revision(plan=plan, by=worker) == draft  # an open draft is continued
    services.save_goal(version=draft, goal=draft.goals.first(), by=worker, text="Uusi sanamuoto")
    assert agreed.goals.first().text == "Haluan päästä työkokeiluun keittiöön"


def test_agreeing_needs_a_goal_a_method_and_a_date_not_in_the_future(case, worker):
    plan = services.start_plan(case=case, by=worker)
    version = plan.versions.get()

    with pytest.raises(ValidationError) as error:
        services.agree_version(
            version=version, by=worker, agreed_on=today() + timedelta(days=1), method="smoke"
        )

    assert set(error.value.message_dict) == {"method", "agreed_on", "__all__"}
    assert not PlanVersion.objects.filter(status="agreed").exists()


def test_goal_and_action_validation_names_each_problem(case, worker):
    version = services.start_plan(case=case, by=worker).versions.get()

    with pytest.raises(ValidationError) as error:
        services.save_goal(
            version=version, by=worker, **goal_values("", level_0=" ", baseline_level=3, weight=0)
        )
    assert set(error.value.message_dict) == {"text", "level_0", "baseline_level", "weight"}

    goal = services.save_goal(version=version, by=worker, **goal_values())
    with pytest.raises(ValidationError) as error:
        services.save_action(goal=goal, by=worker, what="Arviointi", responsible="external")
    assert "responsible_name" in error.value.message_dict
    action = services.save_action(
        goal=goal, by=worker, what="Arviointi", responsible="external", service_name="Työkykykoordinaattori"
    )
    assert action.service_name == "Työkykykoordinaattori"


def test_a_review_computes_the_t_score_and_counts_attained_goals_once(plan, worker):
    goals = list(plan.versions.get().goals.all())

    first = services.record_review(
        plan=plan,
        by=worker,
        held_on=days_ago(10),
        levels={goals[0].pk: 1, goals[1].pk: 1},
        decision="continue",
    )
    second = services.record_review(
        plan=plan,
        by=worker,
        held_on=days_ago(1),
        levels={goals[0].pk: 2, goals[1].pk: -1},
        decision="continue",
    )

    assert first.t_score == pytest.approx(round(50 + 20 / math.sqrt(2.6), 2))
    assert second.t_score == pytest.approx(round(50 + 10 / math.sqrt(2.6), 2))
    assert PlanEvent.objects.filter(kind="review_held").count() == 2
    assert PlanEvent.objects.filter(kind="goal_attained").count() == 2  # each goal once
    assert TimelineEntry.objects.filter(kind="plan.reviewed").count() == 2
    plan.refresh_from_db()
    assert plan.next_review_on == days_ago(1) + timedelta(weeks=8)


def test_a_review_needs_a_level_for_every_goal(plan, worker):
    goal = plan.versions.get().goals.first()

    with pytest.raises(ValidationError) as error:
        services.record_review(plan=plan, by=worker, held_on=today(), levels={goal.pk: 3}, decision="")

    assert len(error.value.message_dict) == 3
    assert not plan.reviews.exists()


def test_closing_the_plan_at_a_review_ends_the_review_rhythm(plan, worker):
    levels = {g.pk: 0 for g in plan.versions.get().goals.all()}
    review = services.record_review(plan=plan, by=worker, held_on=today(), levels=levels, decision="close")

    assert review.t_score == 50
    plan.refresh_from_db()
    assert plan.next_review_on is None


def test_team_members_cannot_write_plans(case, worker, team_colleague):
    with pytest.raises(PermissionDenied):
        services.start_plan(case=case, by=team_colleague)
    plan = agreed_plan(case)
    with pytest.raises(PermissionDenied):
        services.start_revision(plan=plan, by=team_colleague)
    levels = {g.pk: 0 for g in plan.versions.get().goals.all()}
    with pytest.raises(PermissionDenied):
        services.record_review(
            plan=plan, by=team_colleague, held_on=today(), levels=levels, decision="continue"
        )
    assert ServicePlan.objects.count() == 1 and not plan.reviews.exists()


def test_the_history_rows_count_plans_and_attained_goals_for_a_period_and_unit(worker, oulu):
    from django.db.models import Count, Q

    from polku.plans.models import Goal as GoalModel
    from tests.plans.plan.conftest import open_case_for

    first = agreed_plan(open_case_for(worker), on=days_ago(40))
    agreed_plan(open_case_for(worker), on=days_ago(5))
    goals = list(first.versions.get().goals.all())
    services.record_review(
        plan=first,
        by=worker,
        held_on=days_ago(2),
        levels={goals[0].pk: 1, goals[1].pk: -1},
        decision="continue",
    )

    period = PlanEvent.objects.filter(unit=worker.unit, on__gte=days_ago(30), on__lte=today())
    counts = period.aggregate(
        agreed=Count("id", filter=Q(kind="plan_agreed")), attained=Count("id", filter=Q(kind="goal_attained"))
    )
    agreed_versions = PlanEvent.objects.filter(unit=worker.unit, kind="plan_agreed").values("version")
    goals_agreed = GoalModel.objects.filter(version__in=agreed_versions).count()

    assert counts == {"agreed": 1, "attained": 1}
    assert goals_agreed == 4
    assert PlanEvent.objects.filter(kind="goal_attained").count() / goals_agreed == 0.25
