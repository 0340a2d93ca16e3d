"""Placement goals linked to the goals of the client's service plan (issue 6): the form offers the goals
of the latest agreed plan version to those who may read the plan; the link follows a goal's `key`
through later versions; the placement page and the host's feedback form show nothing of the plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from polku.placements import services
from polku.placements.models import Placement
from polku.placements.services import GoalRow
from polku.plans import services as plan_services
from polku.plans.models import Goal
from tests.conftest import client_as
from tests.factories import make_placement
from tests.placements.conftest import EN, events, open_case_for, text, today
from tests.placements.test_views import form_data, new_url
from tests.plans.plan.conftest import agreed_plan, draft_with_goals

PLAN_WORDS = "Haluan päästä työkokeiluun keittiöön"  # the first plan goal, in the client's words


@pytest.fixture
def plan(case, worker):
    return agreed_plan(case, by=worker)


def plan_goals(plan) -> list[Goal]:
    return list(Goal.objects.filter(version__plan=plan, version__number=1).order_by("position"))


def test_the_form_offers_the_agreed_plan_goals_and_the_link_is_stored(case, worker, plan):
    _first, second = plan_goals(plan)
    page = text(client_as(worker).get(new_url(case), **EN))
    assert "Goal of the service plan that goal 1 serves" in page
    assert PLAN_WORDS in page
    assert events("plan.view", case.client)  # reading the plan's goals is audited

    data = form_data(goal_1_plan_goal=str(second.public_id), goal_3_plan_goal="", goal_2_plan_goal="")
    response = client_as(worker).post(new_url(case), data, **EN)
    assert response.status_code == 302
    goals = list(Placement.objects.get().goals.all())
    assert [(goal.text, goal.plan_goal) for goal in goals] == [
        ("Jaksaa neljä tuntia", second),
        ("Oppii kassan", None),
    ]


def test_a_plan_goal_without_the_placement_goals_own_words_is_explained_and_nothing_stored(
    case, worker, plan
):
    first, _second = plan_goals(plan)
    data = form_data(goal_2_plan_goal=str(first.public_id))
    response = client_as(worker).post(new_url(case), data, **EN)
    assert response.status_code == 400
    assert "Write the goal in the placement's own words, or unlink it." in text(response)
    assert not Placement.objects.exists()


def test_without_an_agreed_plan_nothing_is_offered(case, worker):
    draft_with_goals(case, by=worker)
    page = text(client_as(worker).get(new_url(case), **EN))
    assert "Goal of the service plan" not in page
    assert PLAN_WORDS not in page


def test_the_link_follows_the_goal_to_the_latest_agreed_version(case, worker, plan):
    first, _second = plan_goals(plan)
    placement = make_placement(case=case, by=worker, goals=[GoalRow("Jaksaa neljä tuntia", first)])
    revision = plan_services.start_revision(plan=plan, by=worker)
    revised = revision.goals.get(key=first.key)
    plan_services.save_goal(version=revision, by=worker, goal=revised, text="Haluan työkokeiluun kahvilaan")
    plan_services.agree_version(version=revision, by=worker, agreed_on=today(), method="phone")
    revised.refresh_from_db()

    url = f"/placements/{placement.public_id}/edit/"
    page = text(client_as(worker).get(url, **EN))
    assert "Haluan työkokeiluun kahvilaan" in page  # the goal's current words
    assert f'<option value="{revised.public_id}" selected>' in page
    data = form_data(
        host_unit="",
        goal_1="Jaksaa neljä tuntia",
        goal_1_plan_goal=str(revised.public_id),
        goal_2="",
        goal_3="",
    )
    assert client_as(worker).post(url, data, **EN).status_code == 302
    assert placement.goals.get().plan_goal == revised


def test_a_goal_kept_in_place_keeps_its_row_and_its_link_when_given_as_text(case, worker, plan):
    first, _second = plan_goals(plan)
    placement = make_placement(case=case, by=worker, goals=[GoalRow("Yksi", first), "Kaksi"])
    kept = placement.goals.get(order=0)
    services.update_placement(placement=placement, by=worker, goals=["Yksi muutettuna", "Kaksi"])
    goal = placement.goals.get(order=0)
    assert (goal.pk, goal.text, goal.plan_goal) == (kept.pk, "Yksi muutettuna", first)
    services.update_placement(placement=placement, by=worker, goals=[GoalRow("Yksi muutettuna", None)])
    assert list(placement.goals.values_list("pk", "plan_goal")) == [(kept.pk, None)]


def test_a_goal_of_another_clients_plan_or_of_a_draft_is_refused(case, worker, plan):
    other = open_case_for(worker, first_names="Bertta", last_name="Toinen")
    others_goal = agreed_plan(other, by=worker).versions.get().goals.first()
    placement = make_placement(case=case, by=worker)
    for wrong in (others_goal, plan_services.start_revision(plan=plan, by=worker).goals.first()):
        with pytest.raises(ValidationError, match="agreed service plan"):
            services.update_placement(placement=placement, by=worker, goals=[GoalRow("Yksi", wrong)])
    assert list(placement.goals.values_list("plan_goal", flat=True)) == [None, None]


def test_the_placement_page_and_the_feedback_form_show_nothing_of_the_plan(case, worker, plan, host, client):
    first, _second = plan_goals(plan)
    placement = make_placement(
        case=case, by=worker, host_name="", host_unit=host.unit, goals=[GoalRow("Oma tavoite", first)]
    )
    page = text(client_as(worker).get(f"/placements/{placement.public_id}/", **EN))
    assert "Oma tavoite" in page
    assert "serves a goal of the service plan" in page
    assert PLAN_WORDS not in page

    sent = services.send_feedback_request(
        placement=placement,
        by=worker,
        stage="mid_term",
        email="pekka@kahvila.example",
        build_url=lambda token: f"http://testserver/feedback/{token}/",
    )
    client.get(sent.url)
    form = text(client.get("/feedback/form/", **EN))
    assert "Aino Asiakas" in form
    assert PLAN_WORDS not in form
    assert "service plan" not in form
