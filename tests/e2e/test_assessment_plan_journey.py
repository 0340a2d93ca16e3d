"""Issue 5 end to end in a real browser: the county's nurse and the Oulu personal worker contribute to a
work ability assessment and the worker concludes it; the worker starts the service plan with two goals
in the client's words, turns a recommendation of the assessment into an action of the plan (naming a
catalogue service), agrees the plan and records a review. Then the worker refers the client from the
agreed action to the catalogue service, sends the referral, and the plan shows its status.

Every page visited is screenshotted to /tmp/polku-shots/ (assessment-plan-*.png) and checked with
axe-core against WCAG 2.1 A and AA. Read in English, like the other journeys.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polku.assessments import services as assessment_services
from polku.assessments.choices import AssessmentKind
from polku.assessments.models import Assessment
from polku.network.models import Referral
from polku.plans.models import PlanAction, PlanReview, PlanVersion
from tests.e2e.test_assessment_journey import story  # noqa: F401 - the fixture
from tests.e2e.test_clients_journey import (
    another_browser,
    cast,  # noqa: F401 - the fixture
    click_label,
    expect_message,
    log_in_quickly,
    path_is,
)
from tests.e2e.test_plan_journey import add_goal
from tests.factories import make_service
from tests.network.conftest import load_taxonomy

pytestmark = pytest.mark.e2e

RECOMMENDATION = "Work trial in customer service"


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def started(story):  # noqa: F811 - the fixture imported above
    """The assessment started by the worker with the nurse invited for the somatic domain, and a work
    trial service in the catalogue."""
    people, case = story
    load_taxonomy()
    worker, nurse = people.worker.membership, people.nurse.membership
    assessment = assessment_services.start_assessment(case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE)
    assessment_services.invite_to_assessment(assessment=assessment, member=nurse, domain="somatic", by=worker)
    service = make_service(
        name="Työkokeilu asiakaspalvelussa",
        name_en="Work trial in customer service jobs",
        category="work-trial",
    )
    return people, case, assessment, service


def test_assessment_to_plan_to_review_and_a_referral_from_the_plan(
    page, browser, live_server, started, audit, browser_log
):
    people, case, assessment, service = started
    assessment_url = reverse("assessments:assessment", args=[assessment.public_id])
    plan_url = reverse("plans:case_plan", args=[case.public_id])

    # The nurse records the somatic findings in her own browser.
    with another_browser(browser, live_server, "en-GB", browser_log) as nurse_page:
        log_in_quickly(nurse_page, live_server, people.nurse.user)
        nurse_page.goto(assessment_url)
        nurse_page.get_by_role("link", name="Record findings").click()
        nurse_page.fill("#id_text", "Back pain after standing for an hour.")
        nurse_page.fill("#id_icf_codes", "b28013")
        nurse_page.get_by_role("button", name="Save").click()
        expect(nurse_page.locator("main")).to_contain_text("b28013 Pain in back")
        audit.check(nurse_page, "assessment-plan-01-nurse-finding")

    # The worker's own findings, the team meeting and the conclusion with two recommendations.
    log_in_quickly(page, live_server, people.worker.user)
    page.goto(assessment_url)
    page.get_by_role("link", name="Record findings").click()
    click_label(page, "id_domain_0")  # social
    page.fill("#id_text", "Lives alone; wants to work with people.")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Findings recorded.")
    page.get_by_role("link", name="Record the team meeting").click()
    page.fill("#id_participants", "Matti Esimerkki, Sanna Koskinen, Mikko Heikkinen")
    page.fill("#id_client_view", "I want to work again, but not on my feet all day.")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Team meeting recorded.")
    page.get_by_role("link", name="Conclude the assessment").click()
    click_label(page, "id_conclusion_1")
    page.fill("#id_summary", "Fit for light work with the possibility to sit.")
    page.fill("#id_recommendations", f"{RECOMMENDATION}\nPhysiotherapy for the back")
    click_label(page, "id_confirm")
    # Domains without findings are named and confirmed before the assessment is locked.
    expect(page.locator("#id_confirm_empty_domains")).to_be_attached()
    click_label(page, "id_confirm_empty_domains")
    page.get_by_role("button", name="Conclude and lock").click()
    expect_message(page, "Assessment concluded.")
    audit.check(page, "assessment-plan-02-concluded")

    # No plan yet: the recommendation's page says so and leads to the plan.
    page.get_by_role("link", name=re.compile(rf"^Add to the service plan\s*:\s*{RECOMMENDATION}$")).click()
    expect(page.locator("main")).to_contain_text("The case has no service plan yet.")
    audit.check(page, "assessment-plan-03-no-plan-yet")
    page.get_by_role("link", name="Go to the service plan").click()
    expect(page).to_have_url(path_is(plan_url))
    page.get_by_role("button", name="Start a plan").click()
    expect_message(page, "Plan started.")
    add_goal(page, audit, "I want to work with people again", shot="assessment-plan-04-goal-form")
    add_goal(page, audit, "I want my back to hurt less")

    # Back on the assessment: the recommendation becomes an action under the first goal.
    page.goto(assessment_url)
    page.get_by_role("link", name=re.compile(rf"^Add to the service plan\s*:\s*{RECOMMENDATION}$")).click()
    expect(page.locator("#id_what")).to_have_value(RECOMMENDATION)
    audit.check(page, "assessment-plan-05-recommendation-form")
    page.get_by_role("button", name="Add to the plan").click()
    expect(page.locator("main [data-polku-focus]")).to_contain_text("Choose the goal the action serves.")
    audit.check(page, "assessment-plan-06-recommendation-refused")
    click_label(page, "id_goal_0")
    page.select_option("#id_service", str(service.public_id))
    page.get_by_role("button", name="Add to the plan").click()
    expect_message(page, "The recommendation is now an action of the plan's draft.")
    expect(page.get_by_test_id("goals").first).to_contain_text("recommended in the work ability assessment")
    expect(page.get_by_test_id("goals").first).to_contain_text("Work trial in customer service jobs")
    audit.check(page, "assessment-plan-07-draft-with-recommendation")
    action = PlanAction.objects.get(from_recommendation__text=RECOMMENDATION)
    assert action.service == service

    # The plan is agreed with the client; the assessment shows the recommendation in the plan.
    page.get_by_role("link", name="Agree the plan with the client").click()
    click_label(page, "id_method_0")
    page.get_by_role("button", name="Agree the plan").click()
    expect_message(page, "Plan agreed.")
    audit.check(page, "assessment-plan-08-agreed")
    page.goto(assessment_url)
    expect(page.get_by_test_id("in-plan")).to_have_count(1)
    audit.check(page, "assessment-plan-09-assessment-links-to-plan")

    # A review with both goals at the expected level.
    page.goto(plan_url)
    page.get_by_role("link", name="Record a review").click()
    for goal_id in PlanVersion.objects.get().goals.values_list("pk", flat=True):
        click_label(page, f"id_goal_{goal_id}_2")  # 0, as expected
    click_label(page, "id_decision_0")
    page.get_by_role("button", name="Record the review").click()
    expect_message(page, "GAS T-score 50.0")
    audit.check(page, "assessment-plan-10-review")
    assert PlanReview.objects.get().t_score == pytest.approx(50.0)

    # The worker refers the client from the agreed action to the catalogue service.
    page.goto(plan_url)
    page.get_by_role("link", name=re.compile(rf"^Refer\s*:\s*{RECOMMENDATION}$")).click()
    expect(page.get_by_test_id("from-plan-action")).to_contain_text(RECOMMENDATION)
    audit.check(page, "assessment-plan-11-referral-form")
    page.fill("#id_reason", "Work trial to try customer service with the possibility to sit.")
    page.get_by_role("button", name="Save as a draft").click()
    expect_message(page, "Referral saved as a draft.")
    expect(page.get_by_test_id("plan-action")).to_contain_text(RECOMMENDATION)
    audit.check(page, "assessment-plan-12-referral")
    page.get_by_test_id("referral-actions").get_by_role("link", name="Send").click()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_test_id("referral-status")).to_contain_text("Sent")
    page.goto(plan_url)
    expect(page.get_by_test_id("action-referrals").first).to_contain_text("Sent")
    audit.check(page, "assessment-plan-13-plan-with-referral-status")
    assert Referral.objects.get().plan_action == action
    assert Assessment.objects.get().is_concluded

    audit.assert_accessible()
    browser_log.assert_clean()
