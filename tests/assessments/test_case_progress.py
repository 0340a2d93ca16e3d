"""Starting an assessment moves the case to "Assessment", concluding it to "Planning", each recorded
with the actor and the cause; a case already further on stays where it is."""

from __future__ import annotations

from polku.assessments import services as assessment_services
from polku.assessments.choices import AssessmentKind
from polku.clients import services as client_services
from polku.clients.models import CaseStatus, CaseStatusChange
from tests.assessments.conftest import conclude, days_ago, meeting


def latest_change(case):
    return CaseStatusChange.objects.filter(case=case).latest("at", "id")


def test_starting_an_assessment_moves_the_case_to_assessment_by_whoever_started_it(case, worker):
    assessment_services.start_assessment(
        case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE, started_on=days_ago(3)
    )

    case.refresh_from_db()
    change = latest_change(case)
    assert case.status == CaseStatus.ASSESSMENT
    assert (change.previous_status, change.by, change.cause) == (
        CaseStatus.IDENTIFIED,
        worker,
        "assessment.started",
    )


def test_concluding_the_assessment_moves_the_case_to_planning(case, worker, assessment):
    meeting(assessment, worker)

    conclude(assessment, worker)

    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING
    assert (latest_change(case).cause, latest_change(case).by) == ("assessment.concluded", worker)


def test_an_assessment_started_in_a_case_with_services_does_not_move_it_back(case, worker):
    client_services.change_status(case=case, status=CaseStatus.ACTIVE_SERVICES, by=worker)

    assessment_services.start_assessment(case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE)

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE_SERVICES
    assert latest_change(case).cause == ""
