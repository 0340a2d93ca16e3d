"""The service plan in a real browser: the Oulu personal worker makes a plan with the client (two goals
in the client's words with their GAS levels, an action), agrees it, records a review with the levels
reached, sees the progress on the client overview, and starts a new version whose changes are shown.

Every page visited is screenshotted to /tmp/polku-shots/ (plan-*.png) and checked with axe-core against
WCAG 2.1 A and AA. Read in English, like the other journeys.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polku.accounts.models import Role
from polku.clients.models import Municipality
from polku.plans.models import PlanReview, PlanVersion
from tests.e2e.test_clients_journey import click_label, expect_message, log_in_quickly, make_staff, path_is
from tests.factories import make_case, make_organisation

pytestmark = pytest.mark.e2e

LEVELS = {
    "level_minus_2": "Not looked for anything",
    "level_minus_1": "Visited one workplace",
    "level_0": "Work trial started",
    "level_plus_1": "Work trial lasted a month",
    "level_plus_2": "Offered a job",
}


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def cast(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    worker = make_staff(oulu, "PALO-tiimi", Role.PERSONAL_WORKER, "Sanna", "Koskinen")
    case = make_case(by=worker.membership, first_names="Matti", last_name="Esimerkki")
    return worker, case


def for_goal(link: str, goal: str) -> re.Pattern[str]:
    """A link's accessible name: its text and the goal in a visually hidden part (Chromium may put a
    space between them)."""
    return re.compile(rf"^{re.escape(link)}\s*:\s*{re.escape(goal)}$")


def add_goal(page, audit, text: str, shot: str | None = None) -> None:
    page.get_by_role("link", name="Add a goal").click()
    expect(page.locator("h1")).to_have_text("Add a goal")
    if shot:
        audit.check(page, shot)
    page.fill("#id_text", text)
    for field, words in LEVELS.items():
        page.fill(f"#id_{field}", words)
    page.get_by_role("button", name="Save the goal").click()
    expect_message(page, "Goal saved.")


def test_worker_agrees_a_plan_with_two_goals_records_a_review_and_sees_progress(
    page, live_server, cast, audit, browser_log
):
    worker, case = cast
    detail = reverse("clients:detail", args=[case.client.public_id])
    plan_page = reverse("plans:case_plan", args=[case.public_id])

    log_in_quickly(page, live_server, worker.user)
    page.goto(detail)
    expect(page.get_by_test_id("plan-progress")).to_contain_text("No service plan yet.")
    audit.check(page, "plan-01-overview-without-plan")

    page.get_by_role("link", name="Make a service plan").click()
    expect(page).to_have_url(path_is(plan_page))
    audit.check(page, "plan-02-no-plan")
    page.get_by_role("button", name="Start a plan").click()
    expect_message(page, "Plan started.")
    audit.check(page, "plan-03-empty-draft")

    # A goal without its levels is refused; what was typed stays.
    page.get_by_role("link", name="Add a goal").click()
    page.fill("#id_text", "I want to get a work trial in a kitchen")
    page.get_by_role("button", name="Save the goal").click()
    summary = page.locator("main [data-polku-focus]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Fill in this field.")
    expect(page.locator("#id_text")).to_have_value("I want to get a work trial in a kitchen")
    audit.check(page, "plan-04-goal-refused")
    page.goto(plan_page)

    add_goal(page, audit, "I want to get a work trial in a kitchen", shot="plan-05-goal-form")
    add_goal(page, audit, "I want to sleep better")
    goals = page.get_by_test_id("goals")
    expect(goals.locator("> li")).to_have_count(2)

    page.get_by_role(
        "link", name=for_goal("Add an action", "I want to get a work trial in a kitchen")
    ).click()
    audit.check(page, "plan-06-action-form")
    page.fill("#id_what", "Look for work trial places together")
    click_label(page, "id_responsible_1")  # the personal worker
    page.get_by_role("button", name="Save the action").click()
    expect_message(page, "Action saved.")
    audit.check(page, "plan-07-draft-with-goals")

    page.get_by_role("link", name="Agree the plan with the client").click()
    audit.check(page, "plan-08-agree-form")
    click_label(page, "id_method_0")  # in person
    page.get_by_role("button", name="Agree the plan").click()
    expect_message(page, "Plan agreed.")
    expect(page.get_by_test_id("agreed")).to_contain_text("In person")
    audit.check(page, "plan-09-agreed")
    assert PlanVersion.objects.get().is_agreed

    # The review: both goals one level better than expected gives 62.4.
    page.get_by_role("link", name="Record a review").click()
    audit.check(page, "plan-10-review-form")
    for goal_id in PlanVersion.objects.get().goals.values_list("pk", flat=True):
        click_label(page, f"id_goal_{goal_id}_3")  # +1
    click_label(page, "id_decision_0")  # continue
    page.fill("#id_notes", "The client found two places to visit.")
    page.get_by_role("button", name="Record the review").click()
    expect_message(page, "GAS T-score 62.4")
    expect(page.get_by_test_id("t-score")).to_have_text("62.4")
    audit.check(page, "plan-11-review")
    assert PlanReview.objects.get().t_score == pytest.approx(62.4, abs=0.01)

    page.goto(detail)
    progress = page.get_by_test_id("plan-progress")
    expect(progress).to_contain_text("latest 62.4")
    expect(progress.locator("svg polyline")).to_have_count(1)
    expect(page.get_by_test_id("goal-levels")).to_contain_text("I want to sleep better")
    expect(page.get_by_test_id("timeline")).to_contain_text("Service plan reviewed")
    audit.check(page, "plan-12-overview-with-progress")

    # A change makes version 2; the changes page shows it.
    page.goto(plan_page)
    page.get_by_role("button", name="Change the plan (new version)").click()
    page.get_by_role("link", name=for_goal("Change the goal", "I want to sleep better")).click()
    page.fill("#id_level_0", "Sleeping well most nights")
    page.get_by_role("button", name="Save the goal").click()
    page.get_by_role("link", name="Changes from the agreed version").click()
    expect(page.get_by_test_id("changes")).to_contain_text("Goal changed: I want to sleep better")
    expect(page.get_by_test_id("changes")).to_contain_text("Sleeping well most nights")
    audit.check(page, "plan-13-changes")

    # The draft's settings, a removal asked for confirmation first (cancelled), and version 1 as agreed.
    page.goto(plan_page)
    page.get_by_role("link", name="Change the situation and review rhythm").click()
    audit.check(page, "plan-14-settings")
    page.fill("#id_summary", "Long unemployed; wants part-time work first.")
    page.fill("#id_review_interval_weeks", "6")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Plan details saved.")
    expect(page.locator("main")).to_contain_text("every 6 weeks")
    page.get_by_role("link", name=for_goal("Remove", "Look for work trial places together")).click()
    expect(page.locator("h1")).to_have_text("Remove the action")
    audit.check(page, "plan-15-remove-confirmation")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(path_is(plan_page))
    expect(page.get_by_test_id("goals").first).to_contain_text("Look for work trial places together")
    page.get_by_test_id("versions").get_by_role("link", name="Version 1").click()
    expect(page.locator("h1")).to_have_text("Service plan, version 1")
    audit.check(page, "plan-16-version-1")

    audit.assert_accessible()
    browser_log.assert_clean()
