"""The plan pages as the personal worker uses them: starting and editing the draft (bad input keeps
what was typed), agreeing, the printable PDF in the client's language, the differences between
versions, reviews with measures, the caseload flags and the progress on the client overview."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from polku.clients.models import Client
from polku.plans import services
from polku.plans.models import Goal, PlanReview, PlanVersion, ServicePlan
from tests.conftest import client_as
from tests.instruments.conftest import record as record_questionnaire
from tests.plans.plan.conftest import (
    EN,
    agreed_plan,
    days_ago,
    draft_with_goals,
    goal_values,
    open_case_for,
    text,
    today,
)
from tests.queries import AUDIT_EVENT


def test_the_worker_starts_a_plan_and_adds_a_goal(case, worker):
    browser = client_as(worker)
    page = browser.get(f"/cases/{case.public_id}/plan/", **EN)
    assert "Start a plan" in text(page)

    browser.post(f"/cases/{case.public_id}/plan/start/")
    draft = PlanVersion.objects.get(plan__case=case)
    typed = {k: str(v) for k, v in goal_values("  Haluan töihin  ").items()}
    response = browser.post(f"/plan-versions/{draft.public_id}/goals/new/", typed, **EN)

    assert response.status_code == 302
    assert Goal.objects.get().text == "  Haluan töihin  "
    assert "Haluan töihin" in text(browser.get(f"/cases/{case.public_id}/plan/", **EN))


def test_a_goal_with_missing_levels_is_refused_and_keeps_what_was_typed(case, worker):
    draft = draft_with_goals(case, goals=0)
    typed = {k: str(v) for k, v in goal_values("Oma tavoite", level_plus_2="", weight=0).items()}

    response = client_as(worker).post(f"/plan-versions/{draft.public_id}/goals/new/", typed, **EN)

    assert response.status_code == 400
    page = text(response)
    assert "Check the form" in page
    assert "Fill in this field." in page
    assert "The weight is a whole number from 1 to 10." in page
    assert "Oma tavoite" in page
    assert not Goal.objects.exists()


def test_an_action_by_an_external_service_needs_its_name(case, worker):
    draft = draft_with_goals(case, goals=1)
    goal = draft.goals.get()
    body = {"what": "Kuntoutusselvitys", "responsible": "external", "status": "planned"}

    response = client_as(worker).post(f"/plan-goals/{goal.public_id}/actions/new/", body, **EN)

    assert response.status_code == 400
    assert "Name the team member or the service responsible." in text(response)
    assert goal.actions.count() == 1


def test_agreeing_on_the_page_fixes_the_version(case, worker):
    draft = draft_with_goals(case)
    browser = client_as(worker)

    bad = browser.post(f"/plan-versions/{draft.public_id}/agree/", {"agreed_on": today().isoformat()}, **EN)
    assert bad.status_code == 400 and "Choose how the client agreed the plan." in text(bad)

    browser.post(
        f"/plan-versions/{draft.public_id}/agree/", {"agreed_on": today().isoformat(), "method": "video"}
    )
    draft.refresh_from_db()
    assert draft.is_agreed and draft.agreement_method == "video"
    assert browser.get(f"/plan-versions/{draft.public_id}/goals/new/").status_code == 404
    page = text(browser.get(f"/cases/{case.public_id}/plan/", **EN))
    assert "By video call" in page and "Record a review" in page


def test_the_changes_page_shows_goals_levels_and_actions_added_removed_and_changed(case, worker):
    plan = agreed_plan(case)
    draft = services.start_revision(plan=plan, by=worker)
    first, second = list(draft.goals.all())
    services.save_goal(version=draft, goal=first, by=worker, level_0="Olen aloittanut työkokeilun kahvilassa")
    services.save_action(goal=first, by=worker, what="Haetaan työkokeilupaikka", responsible="client")
    services.save_action(goal=first, action=first.actions.first(), by=worker, status="done")
    services.remove_goal(goal=second, by=worker)
    services.save_goal(version=draft, by=worker, **goal_values("Haluan oppia ruotsia"))

    response = client_as(worker).get(f"/plan-versions/{draft.public_id}/changes/", **EN)

    page = text(response)
    assert "What changed from version 1 to version 2" in page
    assert "Goal changed: Haluan päästä työkokeiluun keittiöön" in page
    assert "Olen aloittanut työkokeilun kahvilassa" in page
    assert "Action added:" in page and "Haetaan työkokeilupaikka" in page
    assert "Action changed:" in page and "Done" in page
    assert "Goal removed: Haluan nukkua paremmin" in page
    assert "Goal added: Haluan oppia ruotsia" in page


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_printable_plan_holds_the_clients_goals_in_the_clients_language(case, worker):
    Client.objects.filter(pk=case.client.pk).update(languages=["en"])
    plan = agreed_plan(case)
    version = plan.versions.get()

    response = client_as(worker).get(
        f"/plan-versions/{version.public_id}/plan.pdf"
    )  # the worker reads Finnish

    assert response["Content-Type"] == "application/pdf"
    content = pdf_text(response.content)
    assert "My service plan" in content
    assert "Haluan päästä työkokeiluun keittiöön" in content
    assert "Haluan nukkua paremmin" in content
    assert "Olen aloittanut työkokeilun" in content


def test_a_review_takes_questionnaires_as_measures_and_shows_the_t_score(case, worker):
    plan = agreed_plan(case)
    response_was = record_questionnaire(case, "was", 6)
    goals = list(plan.versions.get().goals.all())
    browser = client_as(worker)
    form = browser.get(f"/service-plans/{plan.public_id}/reviews/new/", **EN)
    assert "Work Ability Score" in text(form)

    body = {f"goal_{g.pk}": "1" for g in goals} | {
        "held_on": today().isoformat(),
        "decision": "continue",
        "notes": "Hyvä jakso",
        "responses": [str(response_was.pk)],
    }
    done = browser.post(f"/service-plans/{plan.public_id}/reviews/new/", body, **EN, follow=True)

    review = PlanReview.objects.get()
    assert review.t_score == pytest.approx(62.4, abs=0.01)
    assert [m.response for m in review.measures.all()] == [response_was]
    page = text(done)
    assert "62.4" in page and "Work Ability Score" in page


def test_a_review_without_levels_is_refused_and_keeps_the_notes(case, worker):
    plan = agreed_plan(case)
    body = {"held_on": today().isoformat(), "decision": "continue", "notes": "Muistiinpano"}

    response = client_as(worker).post(f"/service-plans/{plan.public_id}/reviews/new/", body, **EN)

    assert response.status_code == 400
    assert "Choose the level attained." in text(response) and "Muistiinpano" in text(response)
    assert not PlanReview.objects.exists()


def set_next_review(case, on) -> None:
    ServicePlan.objects.filter(case=case).update(next_review_on=on)


def test_the_caseload_flags_due_and_overdue_reviews(worker):
    # Opened recently, so that the caseload's own "no contact" flag is not among them.
    due = open_case_for(worker, last_name="Pian", opened_on=days_ago(60))
    overdue = open_case_for(worker, last_name="Myöhässä", opened_on=days_ago(60))
    later = open_case_for(worker, last_name="Myöhemmin", opened_on=days_ago(60))
    for case, on in (
        (due, today() + timedelta(days=7)),
        (overdue, days_ago(1)),
        (later, today() + timedelta(days=8)),
    ):
        agreed_plan(case)
        set_next_review(case, on)

    response = client_as(worker).get("/caseload/", **EN)

    rows = {row.name.split(",")[0]: row.flags for row in response.context["rows"]}
    assert rows["Pian"] == (("Review due", False),)
    assert rows["Myöhässä"] == (("Review overdue", True),)
    assert rows["Myöhemmin"] == ()


@pytest.mark.parametrize("count", [1, 20])
def test_the_review_flags_cost_one_query_whatever_the_page(worker, count, django_assert_num_queries):
    from tests.clients.test_views_caseload import CASELOAD_QUERIES  # counts the plans' one query

    for n in range(count):
        case = open_case_for(worker)
        agreed_plan(case)
        set_next_review(case, today() + timedelta(days=n % 14 - 7))  # every one due or overdue
    browser = client_as(worker)
    browser.get("/caseload/")

    with CaptureQueriesContext(connection) as queries:
        response = browser.get("/caseload/", **EN)
    with django_assert_num_queries(CASELOAD_QUERIES):
        browser.get("/caseload/")

    assert len([q for q in queries.captured_queries if "plans_" in q["sql"]]) == 1
    flagged = [row.flags for row in response.context["rows"] if row.flags]
    assert len(flagged) == count


def test_the_overview_shows_progress_over_reviews_with_a_table(case, worker):
    plan = agreed_plan(case)
    goals = list(plan.versions.get().goals.all())
    services.record_review(
        plan=plan, by=worker, held_on=days_ago(20), levels={g.pk: -1 for g in goals}, decision="continue"
    )
    services.record_review(
        plan=plan,
        by=worker,
        held_on=days_ago(2),
        levels={goals[0].pk: 1, goals[1].pk: 0},
        decision="continue",
    )

    response = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    page = text(response)
    assert 'data-testid="gas-progress"' in page
    assert "latest 56.2" in page  # one goal +1, one 0: 50 + 10/sqrt(2.6)
    assert "<polyline" in page
    assert "Haluan nukkua paremmin" in page


@pytest.mark.parametrize("count", [1, 10])
def test_the_overview_panel_runs_the_same_queries_with_one_and_ten_reviews(case, worker, count):
    plan = agreed_plan(case, on=days_ago(200))
    goals = list(plan.versions.get().goals.all())
    for n in range(count):
        services.record_review(
            plan=plan,
            by=worker,
            held_on=days_ago(100 - n),
            levels={g.pk: 0 for g in goals},
            decision="continue",
        )
    browser = client_as(worker)
    browser.get(f"/clients/{case.client.public_id}/")

    with CaptureQueriesContext(connection) as queries:
        browser.get(f"/clients/{case.client.public_id}/")
    # The assessments panel reads plans_assessment tables: not the plan's.
    plan_queries = [
        q for q in queries.captured_queries if "plans_" in q["sql"] and "plans_assessment" not in q["sql"]
    ]
    # The plan, whether the viewer may read it, the agreed version with its goals, the reviews with their
    # ratings; and the portal panel's draft version the client could be asked to agree.
    assert len(plan_queries) == 5


@pytest.mark.parametrize("count", [1, 6])
def test_the_plan_page_runs_the_same_queries_with_one_and_with_six_versions_and_reviews(case, worker, count):
    plan = agreed_plan(case, on=days_ago(300))
    for n in range(count):
        goals = list(plan.versions.order_by("-number").first().goals.all())
        held_on = days_ago(200 - 10 * n)
        services.record_review(
            plan=plan, by=worker, held_on=held_on, levels={g.pk: 0 for g in goals}, decision="revise"
        )
        draft = services.start_revision(plan=plan, by=worker)
        services.save_goal(version=draft, by=worker, **goal_values(f"Tavoite {n}"))
        if n < count - 1:
            services.agree_version(version=draft, by=worker, agreed_on=held_on, method="phone")
    browser = client_as(worker)
    browser.get(f"/cases/{case.public_id}/plan/")

    with CaptureQueriesContext(connection) as queries:
        response = browser.get(f"/cases/{case.public_id}/plan/", **EN)

    assert len(response.context["versions"]) == count + 1
    assert len(response.context["reviews"]) == count
    assert len(queries.captured_queries) == PLAN_PAGE_QUERIES, [
        q["sql"][:80] for q in queries.captured_queries
    ]


# Session, membership and MFA check; the case; may the viewer know of it; its plan; may the viewer read
# it; the versions, their goals and actions (with their catalogue services joined); the reviews and their
# ratings; the audit event (AUDIT_EVENT, tests/queries.py). Since the plan
# links to referrals, two more: the referrals made from the plan's actions, and whether the viewer is on
# the case team (may refer from the case), which the facts read for the plan already answer. Plus the progress records of the actions (ActionProgress,
# the current status of each action of the agreed version).
PLAN_PAGE_QUERIES = 14 + AUDIT_EVENT
