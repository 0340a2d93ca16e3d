"""The plan's texts are bounded: a goal in the client's words, its GAS levels, the summary. Over a limit
the form refuses with both counts and nothing is stored; at the limit the text is stored whole; the
services refuse over-long text when called directly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.plans import services
from polku.plans.models import Goal, PlanVersion
from tests.conftest import client_as
from tests.plans.plan.conftest import EN, draft_with_goals, goal_values, text


def post_goal(worker, draft, **changes):
    typed = {k: str(v) for k, v in goal_values(**changes).items()}
    return client_as(worker).post(f"/plan-versions/{draft.public_id}/goals/new/", typed, **EN)


@pytest.mark.parametrize(
    ("field", "limit", "shown"),
    [("text", 1_000, "1,000"), ("level_0", 500, "500"), ("level_plus_2", 500, "500")],
)
def test_a_goal_text_one_over_its_limit_is_refused_with_the_counts(case, worker, field, limit, shown):
    draft = draft_with_goals(case, goals=0)

    response = post_goal(worker, draft, **{field: "a" * (limit + 1)})

    assert response.status_code == 400
    assert f"The text is too long: {limit + 1:,} characters, at most {shown}." in text(response)
    assert not Goal.objects.exists()


def test_a_goal_at_its_limits_is_stored_whole(case, worker):
    draft = draft_with_goals(case, goals=0)

    response = post_goal(worker, draft, words="a" * 1_000, level_0="b" * 500)

    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (len(goal.text), len(goal.level_0)) == (1_000, 500)


def test_the_goal_form_gives_each_textarea_its_maxlength(case, worker):
    draft = draft_with_goals(case, goals=0)

    page = client_as(worker).get(f"/plan-versions/{draft.public_id}/goals/new/", **EN).content.decode()

    assert page.count('maxlength="1000"') == 1
    assert page.count('maxlength="500"') == 5


def test_the_goal_service_refuses_an_over_long_level_when_called_directly(case, worker):
    draft = draft_with_goals(case, goals=0)

    with translation.override("en"), pytest.raises(ValidationError, match="501 characters, at most 500"):
        services.save_goal(version=draft, by=worker, **goal_values(level_minus_2="a" * 501))
    assert not Goal.objects.exists()


def test_a_summary_over_its_limit_is_refused_by_the_settings_form(case, worker):
    draft = draft_with_goals(case, goals=0)

    response = client_as(worker).post(
        f"/plan-versions/{draft.public_id}/settings/",
        {"summary": "a" * 5_001, "review_interval_weeks": "8"},
        **EN,
    )

    assert response.status_code == 400
    assert "The text is too long: 5,001 characters, at most 5,000." in text(response)
    assert PlanVersion.objects.get().summary == ""


def test_the_summary_service_refuses_an_over_long_summary_and_stores_the_limit(case, worker):
    draft = draft_with_goals(case, goals=0)

    with translation.override("en"), pytest.raises(ValidationError, match="5,001 characters, at most 5,000"):
        services.update_draft(version=draft, by=worker, summary="a" * 5_001, review_interval_weeks=8)
    services.update_draft(version=draft, by=worker, summary="a" * 5_000, review_interval_weeks=8)

    assert len(PlanVersion.objects.get().summary) == 5_000
