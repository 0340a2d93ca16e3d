"""Edits that lose nothing (issue 21): a goal form opened before someone else saved the goal is refused
with both texts shown, and a plan is agreed only as it was shown on the agree page."""

from __future__ import annotations

import pytest

from polku.clients.edits import StaleEdit, version_of
from polku.plans import services
from polku.plans.models import Goal, PlanVersion
from tests.conftest import client_as
from tests.plans.plan.conftest import EN, draft_with_goals, goal_values, text, today


def _form_value(response, name: str) -> str:
    return str(response.context["form"][name].value())


def test_a_stale_goal_edit_is_refused_showing_the_saved_text_and_keeping_the_users_own(case, worker):
    draft = draft_with_goals(case, goals=1)
    goal = draft.goals.get()
    first_tab = client_as(worker)
    opened = first_tab.get(f"/plan-goals/{goal.public_id}/edit/", **EN)
    # Meanwhile the goal is saved from another tab.
    services.save_goal(version=draft, goal=goal, by=worker, text="Haluan töihin kahvilaan")

    mine = {k: str(v) for k, v in goal_values("Haluan töihin leipomoon").items()}
    mine["expected_version"] = _form_value(opened, "expected_version")
    response = first_tab.post(f"/plan-goals/{goal.public_id}/edit/", mine, **EN)

    assert response.status_code == 400
    page = text(response)
    assert f"{worker.user.get_full_name()} changed this goal at" in page
    assert "after you opened it" in page
    assert "Haluan töihin kahvilaan" in page  # what was saved meanwhile, beside
    assert 'name="text"' in page and "Haluan töihin leipomoon</textarea>" in page  # the user's own text
    assert Goal.objects.get().text == "Haluan töihin kahvilaan"

    # Saving again from the page that showed both is a deliberate choice: it goes through.
    again = {**mine, "expected_version": _form_value(response, "expected_version")}
    assert first_tab.post(f"/plan-goals/{goal.public_id}/edit/", again).status_code == 302
    assert Goal.objects.get().text == "Haluan töihin leipomoon"


def test_the_goal_service_refuses_a_stale_version_and_accepts_the_current(case, worker):
    draft = draft_with_goals(case, goals=1)
    goal = draft.goals.get()
    opened = version_of(goal)
    services.save_goal(version=draft, goal=goal, by=worker, text="Toinen")

    with pytest.raises(StaleEdit):
        services.save_goal(version=draft, goal=goal, by=worker, expected_version=opened, text="Kolmas")

    goal.refresh_from_db()
    services.save_goal(version=draft, goal=goal, by=worker, expected_version=version_of(goal), text="Kolmas")
    assert Goal.objects.get().text == "Kolmas"


def test_a_stale_action_and_draft_settings_edit_are_refused(case, worker):
    draft = draft_with_goals(case, goals=1)
    action = draft.goals.get().actions.get()
    browser = client_as(worker)
    action_form = browser.get(f"/plan-actions/{action.public_id}/edit/", **EN)
    settings_form = browser.get(f"/plan-versions/{draft.public_id}/settings/", **EN)
    services.save_action(goal=action.goal, action=action, by=worker, what="Soitetaan kahvilaan")
    services.update_draft(version=draft, by=worker, summary="Tilanne muuttui", review_interval_weeks=6)

    stale_action = browser.post(
        f"/plan-actions/{action.public_id}/edit/",
        {
            "what": "Soitetaan leipomoon",
            "responsible": "worker",
            "status": "planned",
            "expected_version": _form_value(action_form, "expected_version"),
        },
        **EN,
    )
    stale_settings = browser.post(
        f"/plan-versions/{draft.public_id}/settings/",
        {
            "summary": "Oma kuvaus",
            "review_interval_weeks": "8",
            "expected_version": _form_value(settings_form, "expected_version"),
        },
        **EN,
    )

    assert stale_action.status_code == 400 and "changed this action at" in text(stale_action)
    assert "Soitetaan kahvilaan" in text(stale_action)
    assert stale_settings.status_code == 400 and "Tilanne muuttui" in text(stale_settings)
    draft.refresh_from_db()
    assert draft.goals.get().actions.get().what == "Soitetaan kahvilaan"
    assert (draft.summary, draft.review_interval_weeks) == ("Tilanne muuttui", 6)


def test_agreeing_after_the_plan_changed_is_refused_and_says_what_changed(case, worker):
    draft = draft_with_goals(case)
    browser = client_as(worker)
    agree_page = browser.get(f"/plan-versions/{draft.public_id}/agree/", **EN)
    assert "Haluan nukkua paremmin" in text(agree_page)  # the content being agreed is on the page
    shown = _form_value(agree_page, "content")
    # After the page was opened a goal is changed (another tab, or before a hand-over).
    goal = draft.goals.order_by("position").first()
    services.save_goal(version=draft, goal=goal, by=worker, level_0="Olen töissä kahvilassa")

    body = {"agreed_on": today().isoformat(), "method": "in_person", "content": shown}
    response = browser.post(f"/plan-versions/{draft.public_id}/agree/", body, **EN)

    assert response.status_code == 400
    page = text(response)
    assert "The plan changed after you opened this page" in page
    assert f"{worker.user.get_full_name()} changed or added a goal at" in page
    assert "Olen töissä kahvilassa" in page  # the page now shows the current content
    assert not PlanVersion.objects.get(pk=draft.pk).is_agreed

    # Gone through again, the version shown now can be agreed.
    again = {**body, "content": _form_value(response, "content")}
    assert browser.post(f"/plan-versions/{draft.public_id}/agree/", again).status_code == 302
    assert PlanVersion.objects.get(pk=draft.pk).is_agreed


def test_the_agreement_service_refuses_content_other_than_shown(case, worker):
    draft = draft_with_goals(case)
    shown = services.agreement_token(draft)
    action = draft.goals.order_by("position").first().actions.get()
    services.save_action(goal=action.goal, action=action, by=worker, status="done")

    with pytest.raises(services.PlanChanged) as refusal:
        services.agree_version(
            version=draft, by=worker, agreed_on=today(), method="in_person", agreed_content=shown
        )
    assert len(refusal.value.messages) == 2  # that the plan changed, and the one change: by whom, when
    assert not PlanVersion.objects.get(pk=draft.pk).is_agreed


def test_the_refusal_is_in_the_users_language(case, worker):
    draft = draft_with_goals(case, goals=1)
    goal = draft.goals.get()
    opened = version_of(goal)
    services.save_goal(version=draft, goal=goal, by=worker, text="Haluan töihin kahvilaan")
    mine = {k: str(v) for k, v in goal_values("Haluan töihin leipomoon").items()}

    response = client_as(worker).post(
        f"/plan-goals/{goal.public_id}/edit/", {**mine, "expected_version": opened}
    )

    assert response.status_code == 400
    page = text(response)
    assert f"{worker.user.get_full_name()} muutti tätä tavoitetta klo" in page
    assert "Tallennettu sillä välin" in page
