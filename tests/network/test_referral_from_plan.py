"""A referral from an action of the agreed service plan: the plan page's "Refer", the form prefilled with
the service and the action, what is stored, the referral's status back on the plan page, and the
refusals (wrong role, another organisation, an action that is not of this case's agreed plan)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.network import services
from polku.network.models import Referral
from polku.plans import services as plan_services
from tests.clients.conftest import open_case_for
from tests.conftest import client_as
from tests.network.conftest import EN, text
from tests.plans.plan.conftest import agreed_plan, days_ago, draft_with_goals


@pytest.fixture
def action(case, worker, external):
    """An action of the worker's agreed plan that names the external catalogue service (Kelan kuntoutus)."""
    draft = draft_with_goals(case, goals=1)
    goal = draft.goals.get()
    named = plan_services.save_action(
        goal=goal, by=worker, what="Haetaan ammatillista kuntoutusta", responsible="worker", service=external
    )
    plan_services.agree_version(version=draft, by=worker, agreed_on=days_ago(3), method="in_person")
    return named


def refer_url(case, service, action) -> str:
    return f"/cases/{case.public_id}/referrals/new/?service={service.public_id}&action={action.public_id}"


def test_the_worker_refers_from_the_plan_and_the_plan_shows_the_referrals_status(
    case, worker, external, action
):
    browser = client_as(worker)
    plan_page = f"/cases/{case.public_id}/plan/"
    assert refer_url(case, external, action) in text(browser.get(plan_page, **EN))

    form = browser.get(refer_url(case, external, action), **EN)
    page = text(form)
    assert "From the service plan: Haetaan ammatillista kuntoutusta" in page
    assert external.name in page
    assert "\nHaetaan ammatillista kuntoutusta</textarea>" in page  # the reason, ready to edit

    done = browser.post(
        refer_url(case, external, action),
        {"reason": "Ammatillinen kuntoutusselvitys tarpeen.", "urgency": "normal", "register": "employment"},
    )

    assert done.status_code == 302
    referral = Referral.objects.get()
    assert (referral.plan_action, referral.service, referral.case) == (action, external, case)
    detail = text(browser.get(f"/referrals/{referral.public_id}/", **EN))
    assert "From the service plan" in detail and "Haetaan ammatillista kuntoutusta" in detail
    services.send(referral=referral, by=worker)
    statuses = text(browser.get(plan_page, **EN))
    assert f'href="/referrals/{referral.public_id}/"' in statuses and "Referral: <a" in statuses
    assert ">Sent<" in statuses


def test_the_status_shows_on_the_actions_copy_in_a_new_version(case, worker, external, action):
    referral = services.refer(
        case=case, service=external, by=worker, reason="Kuntoutus tarpeen.", plan_action=action
    )
    plan_services.start_revision(plan=action.goal.version.plan, by=worker)

    page = text(client_as(worker).get(f"/cases/{case.public_id}/plan/", **EN))

    assert (
        page.count(f'href="/referrals/{referral.public_id}/"') == 2
    )  # the draft's copy and the agreed action


def test_the_service_refuses_an_action_of_another_case_a_draft_or_another_service(
    case, worker, external, in_polku, action
):
    other_case = open_case_for(worker, first_names="Bertta", last_name="Toinen")
    draft_action = (
        plan_services.start_revision(plan=action.goal.version.plan, by=worker)
        .goals.get()
        .actions.get(key=action.key)
    )

    with pytest.raises(ValidationError, match="agreed service plan"):
        services.refer(
            case=other_case, service=external, by=worker, reason="Syy on tässä.", plan_action=action
        )
    with pytest.raises(ValidationError, match="agreed service plan"):
        services.refer(
            case=case, service=external, by=worker, reason="Syy on tässä.", plan_action=draft_action
        )
    with pytest.raises(ValidationError, match="another service"):
        services.refer(case=case, service=in_polku, by=worker, reason="Syy on tässä.", plan_action=action)
    assert not Referral.objects.exists()


def test_the_page_answers_404_for_an_action_not_of_this_cases_agreed_plan(
    case, worker, external, in_polku, action
):
    browser = client_as(worker)
    other_case = open_case_for(worker, first_names="Bertta", last_name="Toinen")

    assert browser.get(refer_url(other_case, external, action)).status_code == 404
    assert browser.get(refer_url(case, in_polku, action)).status_code == 404  # the action names another
    draft_action = (
        plan_services.start_revision(plan=action.goal.version.plan, by=worker)
        .goals.get()
        .actions.get(key=action.key)
    )
    assert browser.get(refer_url(case, external, draft_action)).status_code == 404
    assert browser.get(f"/cases/{case.public_id}/referrals/new/?action=not-a-uuid").status_code == 404
    assert not Referral.objects.exists()


def test_a_manager_is_refused(case, manager, external, action):
    response = client_as(manager).post(refer_url(case, external, action), {"reason": "Syy on tässä."})

    assert response.status_code in (403, 404)
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="permission.refused", membership=manager).exists()


def test_another_organisation_off_the_team_gets_404(case, outsider, external, action):
    response = client_as(outsider).post(refer_url(case, external, action), {"reason": "Syy on tässä."})

    assert response.status_code == 404
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="permission.refused", membership=outsider).exists()


def test_another_organisation_on_the_team_without_consent_cannot_refer_from_the_plan(
    case, worker, outsider, external, action
):
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(1))
    browser = client_as(outsider)

    assert browser.get(f"/cases/{case.public_id}/plan/").status_code == 404  # the plan is not theirs to read
    response = browser.post(
        refer_url(case, external, action), {"reason": "Syy on tässä.", "urgency": "normal"}
    )

    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_no_refer_link_for_an_action_without_a_catalogue_service(case, worker):
    plan = agreed_plan(case)  # its actions name no service

    page = text(client_as(worker).get(f"/cases/{case.public_id}/plan/", **EN))

    assert "/referrals/new/" not in page and plan.versions.get().is_agreed


def test_the_service_refuses_the_action_to_one_who_may_not_read_the_plan(
    case, worker, outsider, external, action
):
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(1))

    with pytest.raises(ValidationError, match="agreed service plan"):
        services.refer(case=case, service=external, by=outsider, reason="Syy on tässä.", plan_action=action)

    assert not Referral.objects.exists()
