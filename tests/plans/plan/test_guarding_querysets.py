"""An agreed plan version's goals and actions and a concluded assessment with its rows cannot be changed
through querysets either (update, delete, bulk_create, bulk_update), as PlanVersion refuses it (review
point 8). Drafts and open assessments still change; a concluded assessment's recommendation may still have
fields other than its text and place set (the links to the plan); addenda never change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polku.assessments import conclusion
from polku.assessments import services as a_s
from polku.assessments.choices import AssessmentKind, Domain
from polku.assessments.locking import AssessmentLocked
from polku.assessments.models import (
    Assessment,
    AssessmentAddendum,
    AssessmentMeeting,
    Finding,
    Recommendation,
)
from polku.plans.models import AgreedPlanIsFixed, Goal, PlanAction
from tests.clients.conftest import days_ago
from tests.plans.plan.conftest import agreed_plan, draft_with_goals


@pytest.fixture
def agreed(case):
    return agreed_plan(case).versions.get(status="agreed")


def test_an_agreed_versions_goals_and_actions_refuse_bulk_changes(agreed):
    goal = agreed.goals.first()
    action = PlanAction.objects.filter(goal__version=agreed).first()
    with pytest.raises(AgreedPlanIsFixed):
        Goal.objects.filter(version=agreed).update(text="Muutettu jälkikäteen")
    with pytest.raises(AgreedPlanIsFixed):
        PlanAction.objects.filter(goal__version=agreed).update(what="muutettu")
    with pytest.raises(AgreedPlanIsFixed):
        PlanAction.objects.filter(goal__version=agreed).delete()
    with pytest.raises(AgreedPlanIsFixed):
        Goal.objects.filter(version=agreed).delete()
    goal.text = "Muutettu"
    with pytest.raises(AgreedPlanIsFixed):
        Goal.objects.bulk_update([goal], ["text"])
    action.what = "Muutettu"
    with pytest.raises(AgreedPlanIsFixed):
        PlanAction.objects.bulk_update([action], ["what"])
    with pytest.raises(AgreedPlanIsFixed):
        Goal.objects.bulk_create([Goal(version=agreed, text="Uusi", level_0="x")])
    with pytest.raises(AgreedPlanIsFixed):
        PlanAction.objects.bulk_create([PlanAction(goal=goal, what="Uusi", responsible="worker")])
    agreed.refresh_from_db()
    assert "Muutettu" not in {g.text for g in agreed.goals.all()}


def test_a_drafts_goals_and_actions_still_change(case):
    draft = draft_with_goals(case)
    assert Goal.objects.filter(version=draft).update(weight=3) == 2
    assert PlanAction.objects.filter(goal__version=draft).update(what="Muutettu") >= 1


def _concluded(case, worker):
    a = a_s.start_assessment(case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE, started_on=days_ago(4))
    a_s.record_finding(assessment=a, by=worker, domain=Domain.SOCIAL, text="Alkuperäinen.")
    a_s.record_meeting(assessment=a, by=worker, held_on=days_ago(1), participants="Asiakas", client_view="x")
    return conclusion.conclude_assessment(
        assessment=a,
        by=worker,
        conclusion="supported_employment",
        summary="Alkuperäinen.",
        recommendations=["IPS"],
        empty_domains_confirmed=Domain.values,
    )


def test_a_concluded_assessment_refuses_bulk_changes(case, worker):
    a = _concluded(case, worker)
    for queryset, values in [
        (Assessment.objects.filter(pk=a.pk), {"summary": "Muutettu", "conclusion": "studies"}),
        (Finding.objects.filter(assessment=a), {"text": "Muutettu"}),
        (Recommendation.objects.filter(assessment=a), {"text": "Muutettu"}),
        (Recommendation.objects.filter(assessment=a), {"order": 5}),
        (AssessmentMeeting.objects.filter(assessment=a), {"client_view": "Muutettu"}),
    ]:
        with pytest.raises(AssessmentLocked):
            queryset.update(**values)
        with pytest.raises(AssessmentLocked):
            queryset.all().delete()
    finding = a.findings.get()
    finding.text = "Muutettu"
    with pytest.raises(AssessmentLocked):
        Finding.objects.bulk_update([finding], ["text"])
    a.summary = "Muutettu"
    with pytest.raises(AssessmentLocked):
        Assessment.objects.bulk_update([a], ["summary"])
    with pytest.raises(AssessmentLocked):
        Recommendation.objects.bulk_create([Recommendation(assessment=a, order=2, text="Lisätty")])
    with pytest.raises(AssessmentLocked):
        AssessmentMeeting.objects.bulk_create(
            [
                AssessmentMeeting(
                    assessment=a, held_on=days_ago(1), participants="x", client_view="y", recorded_by=worker
                )
            ]
        )
    a = Assessment.objects.get(pk=a.pk)
    assert (a.summary, a.findings.get().text, a.recommendations.get().text) == (
        "Alkuperäinen.",
        "Alkuperäinen.",
        "IPS",
    )


def test_a_concluded_recommendations_other_fields_may_still_be_set(case, worker):
    a = _concluded(case, worker)
    recommendation = a.recommendations.get()
    later = timezone.now()
    assert Recommendation.objects.filter(pk=recommendation.pk).update(updated_at=later) == 1
    recommendation.save(update_fields=["updated_at"])
    Recommendation.objects.bulk_update([recommendation], ["updated_at"])
    recommendation.text = "Muutettu"
    with pytest.raises(AssessmentLocked):
        Recommendation.objects.bulk_update([recommendation], ["text"])


def test_an_open_assessment_still_changes(case, worker):
    a = a_s.start_assessment(case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE, started_on=days_ago(4))
    a_s.record_finding(assessment=a, by=worker, domain=Domain.SOCIAL, text="Alkuperäinen.")
    assert Finding.objects.filter(assessment=a).update(text="Korjattu") == 1
    assert Assessment.objects.filter(pk=a.pk).update(question="Kysymys") == 1


def test_an_addendum_never_changes(case, worker):
    a = _concluded(case, worker)
    addendum = conclusion.add_addendum(assessment=a, by=worker, text="Lisäys.")
    with pytest.raises(ValidationError):
        AssessmentAddendum.objects.filter(pk=addendum.pk).update(text="Muutettu")
    with pytest.raises(ValidationError):
        AssessmentAddendum.objects.filter(pk=addendum.pk).delete()
    addendum.text = "Muutettu"
    with pytest.raises(ValidationError):
        AssessmentAddendum.objects.bulk_update([addendum], ["text"])
    assert AssessmentAddendum.objects.get().text == "Lisäys."
