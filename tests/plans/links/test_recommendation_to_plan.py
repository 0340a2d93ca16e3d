"""A recommendation of a concluded assessment becomes an action of the case's service plan: the page
with its goal choice, the draft (or a new draft from the agreed version), what is stored and shown on
both pages, bad input, and the refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from polku.assessments.links.services import add_recommendation_to_plan
from polku.assessments.models import Assessment
from polku.audit.models import AuditEvent
from polku.plans import services
from polku.plans.models import PlanAction
from tests.conftest import client_as
from tests.plans.links.conftest import (
    EN,
    agreed_plan,
    days_ago,
    draft_with_goals,
    recommendations,
    text,
)
from tests.queries import AUDIT_EVENT


def url(recommendation) -> str:
    return f"/assessment-recommendations/{recommendation.public_id}/to-plan/"


def test_the_worker_adds_a_recommendation_to_the_draft_and_both_pages_show_it(concluded, case, worker):
    draft = draft_with_goals(case)
    first, second = recommendations(concluded)
    goal = draft.goals.order_by("position").last()
    browser = client_as(worker)
    assessment_page = f"/assessments/{concluded.public_id}/"
    before = text(browser.get(assessment_page, **EN))
    assert "Add to the service plan" in before and "In the service plan" not in before

    form = browser.get(url(first), **EN)
    assert form.status_code == 200
    assert "\nIPS-työhönvalmennus</textarea>" in text(form)
    done = browser.post(
        url(first),
        {
            "goal": str(goal.key),
            "what": "IPS-työhönvalmennus, kysytään paikka",
            "responsible": "worker",
            "status": "planned",
        },
    )

    assert done.status_code == 302 and done["Location"] == f"/cases/{case.public_id}/plan/"
    action = PlanAction.objects.get(from_recommendation=first)
    assert (action.goal, action.what, action.responsible) == (
        goal,
        "IPS-työhönvalmennus, kysytään paikka",
        "worker",
    )
    assert AuditEvent.objects.filter(action="plan.action.from_recommendation").count() == 1
    page = text(browser.get(assessment_page, **EN))
    assert page.count("In the service plan") == 1  # the first; the second can still be added
    assert url(second) in page and url(first) not in page
    plan_page = text(browser.get(f"/cases/{case.public_id}/plan/", **EN))
    assert "IPS-työhönvalmennus, kysytään paikka" in plan_page
    assert "recommended in the work ability assessment" in plan_page


def test_with_an_agreed_plan_a_new_draft_version_takes_the_action_and_keeps_it_in_later_versions(
    concluded, case, worker
):
    plan = agreed_plan(case)
    first = recommendations(concluded)[0]
    goal = plan.versions.get().goals.order_by("position").first()

    response = client_as(worker).post(
        url(first),
        {"goal": str(goal.key), "what": first.text, "responsible": "client", "status": "planned"},
        **EN,
    )

    assert response.status_code == 302
    v1, v2 = plan.versions.order_by("number")
    assert v1.is_agreed and not v1.goals.filter(actions__from_recommendation=first).exists()
    assert not v2.is_agreed
    action = PlanAction.objects.get(goal__version=v2, from_recommendation=first)
    assert action.goal.key == goal.key and action.what == "IPS-työhönvalmennus"
    services.agree_version(version=v2, by=worker, agreed_on=days_ago(1), method="phone")
    v3 = services.start_revision(plan=plan, by=worker)
    assert PlanAction.objects.get(goal__version=v3, from_recommendation=first).key == action.key
    # Still "in the plan": the recommendation is not offered again.
    again = client_as(worker).get(url(first), **EN)
    assert again.status_code == 302


def test_without_a_plan_the_page_says_so_and_links_to_starting_one(concluded, case, worker):
    first = recommendations(concluded)[0]

    response = client_as(worker).get(url(first), **EN)

    page = text(response)
    assert "The case has no service plan yet." in page
    assert f'href="/cases/{case.public_id}/plan/"' in page
    assert client_as(worker).post(url(first), {"what": "x"}, **EN).status_code == 200
    assert not PlanAction.objects.exists()
    with pytest.raises(ValidationError, match="no service plan"):
        add_recommendation_to_plan(recommendation=first, goal_key="x", by=worker)


def test_bad_input_keeps_what_was_typed_and_starts_no_version(concluded, case, worker):
    plan = agreed_plan(case)
    first = recommendations(concluded)[0]

    response = client_as(worker).post(url(first), {"what": "Oma muotoilu", "responsible": "worker"}, **EN)

    assert response.status_code == 400
    page = text(response)
    assert "Choose the goal the action serves." in page and "Oma muotoilu" in page
    assert plan.versions.count() == 1
    assert not PlanAction.objects.filter(from_recommendation=first).exists()


def test_a_goal_of_another_plan_is_refused_and_nothing_changes(concluded, case, worker):
    plan = agreed_plan(case)
    first = recommendations(concluded)[0]
    other = draft_with_goals(client_services_case(worker))
    foreign_goal = other.goals.first()

    with pytest.raises(ValidationError):
        add_recommendation_to_plan(
            recommendation=first, goal_key=foreign_goal.key, by=worker, what="x", responsible="worker"
        )

    assert plan.versions.count() == 1


def client_services_case(worker):
    from tests.clients.conftest import open_case_for

    return open_case_for(worker, first_names="Bertta", last_name="Toinen")


def test_the_same_recommendation_is_not_added_twice(concluded, case, worker):
    draft = draft_with_goals(case)
    first = recommendations(concluded)[0]
    key = draft.goals.first().key
    add_recommendation_to_plan(recommendation=first, goal_key=key, by=worker, responsible="worker")

    with pytest.raises(ValidationError, match="already in the service plan"):
        add_recommendation_to_plan(recommendation=first, goal_key=key, by=worker, responsible="worker")

    assert PlanAction.objects.filter(from_recommendation=first).count() == 1


def test_the_concluded_assessment_is_not_changed(concluded, case, worker):
    draft_with_goals(case)
    first = recommendations(concluded)[0]
    stored = Assessment.objects.filter(pk=concluded.pk).values().get()
    texts = list(concluded.recommendations.values_list("order", "text"))

    add_recommendation_to_plan(
        recommendation=first,
        goal_key=case.service_plan.versions.get().goals.first().key,
        by=worker,
        responsible="worker",
    )

    assert Assessment.objects.filter(pk=concluded.pk).values().get() == stored
    assert list(concluded.recommendations.values_list("order", "text")) == texts


def test_an_open_assessments_recommendation_cannot_be_added(assessment, case, worker):
    from polku.assessments.models import Recommendation

    draft_with_goals(case)
    # Recommendations are written at the conclusion; one on an open assessment (made directly) is not
    # offered.
    recommendation = Recommendation.objects.create(assessment=assessment, order=1, text="Kesken")

    assert client_as(worker).get(url(recommendation)).status_code == 404


# --- Refusals ---------------------------------------------------------------------------------------


def test_a_team_member_who_reads_the_assessment_but_does_not_manage_the_case_gets_403(
    concluded, case, team_colleague
):
    draft_with_goals(case)
    first = recommendations(concluded)[0]
    browser = client_as(team_colleague)

    assert "Add to the service plan" not in text(browser.get(f"/assessments/{concluded.public_id}/", **EN))
    assert browser.get(url(first)).status_code == 403
    assert browser.post(url(first), {"goal": "x", "what": "x", "responsible": "worker"}).status_code == 403
    assert not PlanAction.objects.filter(from_recommendation=first).exists()
    refusals = AuditEvent.objects.filter(action="permission.refused", membership=team_colleague)
    assert refusals.count() == 2


def test_another_organisation_gets_404_and_its_refusal_is_audited(concluded, case, outsider):
    draft_with_goals(case)
    first = recommendations(concluded)[0]

    assert client_as(outsider).get(url(first)).status_code == 404
    assert client_as(outsider).post(url(first), {"what": "x"}).status_code == 404
    assert AuditEvent.objects.filter(action="permission.refused", membership=outsider).count() == 2
    assert not PlanAction.objects.filter(from_recommendation=first).exists()


def test_another_organisation_on_the_team_without_consent_learns_nothing_of_the_plan(
    concluded, case, worker, espoo_on_team
):
    draft = draft_with_goals(case)
    first = recommendations(concluded)[0]
    add_recommendation_to_plan(
        recommendation=first, goal_key=draft.goals.first().key, by=worker, responsible="worker"
    )
    browser = client_as(espoo_on_team)

    page = text(browser.get(f"/assessments/{concluded.public_id}/", **EN))

    # The recommendations are records of the case register, withheld without consent.
    assert "IPS-työhönvalmennus" not in page
    assert "Withheld: no consent" in page
    assert "In the service plan" not in page and "Add to the service plan" not in page
    assert browser.get(url(recommendations(concluded)[1])).status_code == 403


def test_a_manager_is_refused(concluded, case, manager):
    draft_with_goals(case)

    assert client_as(manager).get(url(recommendations(concluded)[0])).status_code == 404


# Session, the user with their active memberships, the assessment, the consents valid today, the findings and their
# questionnaires, invitations, meetings, recommendations, addenda, the audit event
# (AUDIT_EVENT, tests/queries.py) as for an open assessment (test_views.py), less the
# viewer's invitations (a concluded assessment takes no findings), plus the links to the plan: the plan,
# may the viewer read it (team and disclosure), the actions made from the recommendations. Addenda the
# viewer may not read are not counted (their number would tell what the client has not disclosed).
QUERIES_CONCLUDED_PAGE_WITH_PLAN = 13 + AUDIT_EVENT


@pytest.mark.parametrize("n", [1, 6])
def test_the_concluded_assessment_page_runs_a_fixed_number_of_queries(
    assessment, case, worker, team_colleague, n, django_assert_num_queries
):
    from tests.assessments.conftest import conclude, meeting

    meeting(assessment, worker)
    concluded = conclude(assessment, worker, recommendations=[f"Suositus {i}" for i in range(n)])
    draft = draft_with_goals(case)
    for recommendation in recommendations(concluded)[::2]:
        add_recommendation_to_plan(
            recommendation=recommendation, goal_key=draft.goals.first().key, by=worker, responsible="worker"
        )
    browser = client_as(worker)
    browser.get(f"/assessments/{assessment.public_id}/")

    with django_assert_num_queries(QUERIES_CONCLUDED_PAGE_WITH_PLAN):
        response = browser.get(f"/assessments/{assessment.public_id}/", **EN)

    assert text(response).count("In the service plan") == len(range(0, n, 2))


def test_the_page_records_the_read_with_and_without_a_plan(concluded, case, worker):
    # Without a plan the page shows the recommendation and says to start one: an assessment read.
    browser = client_as(worker)
    assert browser.get(url(recommendations(concluded)[0]), **EN).status_code == 200
    event = AuditEvent.objects.filter(action="assessment.view", membership=worker).latest("pk")
    assert event.details == {"page": "to_plan"}

    # With a draft the form shows the plan's goals: a plan read.
    draft_with_goals(case)
    assert browser.get(url(recommendations(concluded)[0]), **EN).status_code == 200
    event = AuditEvent.objects.filter(action="plan.view", membership=worker).latest("pk")
    assert (event.details, event.client_id) == ({"page": "recommendation"}, case.client.public_id)
