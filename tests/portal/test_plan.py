"""My plan: the agreed plan in my words, my own actions marked done, my own goal ratings beside the
worker's; another client's goal or action is a 404 and an audited refusal."""

from __future__ import annotations

import html

import pytest

from polku.audit.models import AuditEvent
from polku.plans import services as plan_services
from polku.plans.models import GoalRating, PlanAction
from polku.portal.models import ActionMark, GoalSelfRating
from tests.conftest import client_as
from tests.factories import make_case
from tests.plans.plan.conftest import days_ago, goal_values
from tests.portal.test_pages import portal_as

pytestmark = pytest.mark.django_db


def agreed_plan_with_my_action(case):
    by = case.personal_worker
    plan = plan_services.start_plan(case=case, by=by)
    version = plan.versions.get()
    goal = plan_services.save_goal(
        version=version, by=by, **goal_values("Haluan päästä työkokeiluun keittiöön")
    )
    plan_services.save_action(
        goal=goal,
        by=by,
        what="Käyn tutustumassa kahvilaan",
        responsible="client",
        due_on=None,
        status="planned",
    )
    plan_services.save_action(
        goal=goal, by=by, what="Sovin työkokeilun", responsible="worker", due_on=None, status="planned"
    )
    plan_services.agree_version(version=version, by=by, agreed_on=days_ago(30), method="in_person")
    return plan


@pytest.fixture
def my_plan(case):
    return agreed_plan_with_my_action(case)


def test_my_plan_shows_goals_levels_and_who_does_what(case, my_plan):
    response = portal_as(case.client).get("/portal/plan/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Haluan päästä työkokeiluun keittiöön" in page and "Olen aloittanut työkokeilun" in page
    assert "Käyn tutustumassa kahvilaan" in page and "Sovin työkokeilun" in page
    assert AuditEvent.objects.filter(action="portal.plan.view", client_id=case.client.public_id).count() == 1


def test_i_mark_my_own_action_done_with_a_comment(case, my_plan):
    mine = PlanAction.objects.get(what="Käyn tutustumassa kahvilaan")
    browser = portal_as(case.client)
    response = browser.post(
        f"/portal/plan/actions/{mine.public_id}/", {"done": "1", "comment": "Kävin maanantaina"}
    )
    assert response.status_code == 302
    mark = ActionMark.objects.get()
    assert (mark.done, mark.comment, mark.action_key) == (True, "Kävin maanantaina", mine.key)
    assert "Kävin maanantaina" in html.unescape(browser.get("/portal/plan/").content.decode())
    # The worker's action is not mine to mark.
    theirs = PlanAction.objects.get(what="Sovin työkokeilun")
    assert browser.post(f"/portal/plan/actions/{theirs.public_id}/", {"done": "1"}).status_code == 404
    assert ActionMark.objects.count() == 1


def test_my_rating_is_stored_beside_the_workers(case, my_plan):
    goal = my_plan.versions.get().goals.get()
    plan_services.record_review(
        plan=my_plan, by=case.personal_worker, held_on=days_ago(1), levels={goal.pk: 0}, decision="continue"
    )
    browser = portal_as(case.client)
    assert (
        browser.post(
            f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "1", "note": "Hyvin menee"}
        ).status_code
        == 302
    )
    assert GoalSelfRating.objects.get().level == 1
    assert GoalRating.objects.get().level == 0  # the worker's rating is untouched
    # A level outside the scale is refused and nothing is stored.
    assert browser.post(f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "5"}).status_code == 400
    assert browser.post(f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "x"}).status_code == 400
    assert GoalSelfRating.objects.count() == 1


def test_another_clients_goal_and_action_are_404_and_audited(case, my_plan, worker):
    other = make_case(by=worker).client
    goal = my_plan.versions.get().goals.get()
    mine = PlanAction.objects.get(what="Käyn tutustumassa kahvilaan")
    browser = portal_as(other)
    assert browser.post(f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "1"}).status_code == 404
    assert browser.post(f"/portal/plan/actions/{mine.public_id}/", {"done": "1"}).status_code == 404
    assert not GoalSelfRating.objects.exists() and not ActionMark.objects.exists()
    refusals = AuditEvent.objects.filter(action="portal.refused")
    assert [event.client_id for event in refusals] == [case.client.public_id] * 2


def test_feedback_after_the_plan_is_agreed_is_stored_without_the_client(case, my_plan, worker):
    from polku.portal import selectors
    from polku.portal.models import FeedbackGiven, ServiceFeedback

    browser = portal_as(case.client)
    assert 'data-testid="feedback-waiting"' in browser.get("/portal/home/").content.decode()
    assert browser.post("/portal/feedback/", {"heard": "4"}).status_code == 400  # not every question
    assert not ServiceFeedback.objects.exists()
    response = browser.post("/portal/feedback/", {"heard": "4", "knew": "yes", "useful": "5"})
    assert response.status_code == 302
    stored = ServiceFeedback.objects.get()
    assert (stored.heard, stored.knew_responsible, stored.useful, stored.occasion) == (
        4,
        True,
        5,
        "plan_agreed",
    )
    assert not any(hasattr(stored, name) for name in ("client_id", "case_id", "author_id"))
    assert FeedbackGiven.objects.get().client == case.client
    assert 'data-testid="feedback-waiting"' not in browser.get("/portal/home/").content.decode()
    # Fewer than five answers: no figures.
    assert selectors.feedback_summary(case.unit.organisation_id) == [
        {"occasion": "plan_agreed", "answers": None}
    ]


def test_opening_the_feedback_form_is_audited_with_me_as_actor(case, my_plan):
    assert portal_as(case.client).get("/portal/feedback/").status_code == 200
    event = AuditEvent.objects.get(action="portal.feedback.view")
    assert event.client_id == case.client.public_id and event.membership_id is None
    assert event.details["actor"]["name"] == case.client.full_name


def test_a_refused_rating_shows_my_plan_again_and_that_read_is_audited(case, my_plan):
    goal = my_plan.versions.get().goals.get()
    browser = portal_as(case.client)
    response = browser.post(f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "x"})
    assert response.status_code == 400 and goal.text in response.content.decode()
    event = AuditEvent.objects.get(action="portal.plan.view")
    assert (
        event.client_id == case.client.public_id and event.details["actor"]["name"] == case.client.full_name
    )


def panel_list(page: str, testid: str) -> str:
    """The items of one list of the client overview's portal panel."""
    return page.split(f'data-testid="{testid}">', 1)[1].split("</ul>", 1)[0]


def test_my_team_sees_my_marks_and_ratings_with_their_texts_on_my_overview(case, my_plan):
    goal = my_plan.versions.get().goals.get()
    plan_services.record_review(
        plan=my_plan, by=case.personal_worker, held_on=days_ago(1), levels={goal.pk: 0}, decision="continue"
    )
    mine = PlanAction.objects.get(what="Käyn tutustumassa kahvilaan")
    browser = portal_as(case.client)
    browser.post(f"/portal/plan/actions/{mine.public_id}/", {"done": "1", "comment": "Kävin maanantaina"})
    browser.post(f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "1", "note": "Hyvin menee"})

    page = html.unescape(
        client_as(case.personal_worker).get(f"/clients/{case.client.public_id}/").content.decode()
    )

    marks = panel_list(page, "portal-panel-marks")
    assert marks.count("<li>") == 1
    assert "Käyn tutustumassa kahvilaan – " in marks and "(Kävin maanantaina)" in marks
    ratings = panel_list(page, "portal-panel-ratings")
    assert ratings.count("<li>") == 1
    assert "Haluan päästä työkokeiluun keittiöön – +1 (Hyvin menee)" in ratings


def _give_feedback(browser, heard: str, useful: str) -> None:
    response = browser.post("/portal/feedback/", {"heard": heard, "knew": "no", "useful": useful})
    assert response.status_code == 302


def test_feedback_is_asked_at_agreement_then_at_a_review_then_at_closing(case, my_plan, worker):
    """The three occasions of the issue, each asked once, newest first, each stored naming only the
    organisation, the occasion and the month."""
    from polku.clients import services as client_services
    from polku.portal.models import FeedbackGiven, ServiceFeedback

    browser = portal_as(case.client)
    _give_feedback(browser, "4", "4")  # the agreed plan
    assert 'data-testid="feedback-waiting"' not in browser.get("/portal/home/").content.decode()

    goal = my_plan.versions.get().goals.get()
    plan_services.record_review(
        plan=my_plan, by=worker, held_on=days_ago(1), levels={goal.pk: 1}, decision="continue"
    )
    assert 'data-testid="feedback-waiting"' in browser.get("/portal/home/").content.decode()
    _give_feedback(browser, "3", "2")
    assert 'data-testid="feedback-waiting"' not in browser.get("/portal/home/").content.decode()

    client_services.close_case(case=case, by=worker, outcome="studies")
    assert 'data-testid="feedback-waiting"' in browser.get("/portal/home/").content.decode()
    _give_feedback(browser, "5", "5")
    assert 'data-testid="feedback-waiting"' not in browser.get("/portal/home/").content.decode()

    stored = list(ServiceFeedback.objects.order_by("id").values_list("occasion", "heard", "useful"))
    assert stored == [("plan_agreed", 4, 4), ("review", 3, 2), ("case_closed", 5, 5)]
    assert set(ServiceFeedback.objects.values_list("organisation_id", flat=True)) == {
        case.unit.organisation_id
    }
    assert FeedbackGiven.objects.filter(client=case.client).count() == 3
    # Sending the form again answers nothing twice.
    assert browser.post("/portal/feedback/", {"heard": "1", "knew": "no", "useful": "1"}).status_code == 302
    assert ServiceFeedback.objects.count() == 3
