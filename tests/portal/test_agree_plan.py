"""Agreeing a plan version in my own Polku where my team asks me: I agree exactly the content shown (the
same content hash as staff agreement); the version is recorded as agreed by me, with the time."""

from __future__ import annotations

import re
import uuid

import pytest

from polku.audit.models import AuditEvent
from polku.plans import services as plan_services
from polku.plans.models import AgreementMethod, PlanVersionStatus
from tests.clients.conftest import open_case_for
from tests.conftest import client_as
from tests.plans.plan.conftest import goal_values
from tests.portal.test_pages import page, portal_as

pytestmark = pytest.mark.django_db


def draft_plan(case):
    by = case.personal_worker
    plan = plan_services.start_plan(case=case, by=by)
    version = plan.versions.get()
    goal = plan_services.save_goal(version=version, by=by, **goal_values("Haluan oppia käyttämään kassaa"))
    plan_services.save_action(
        goal=goal, by=by, what="Harjoittelen kassalla", responsible="client", due_on=None, status="planned"
    )
    return version


def ask(worker, version):
    response = client_as(worker).post(f"/clients/plan-versions/{version.public_id}/ask-client/")
    assert response.status_code == 302
    version.refresh_from_db()
    return version


def shown_token(browser, version) -> str:
    content = browser.get(f"/portal/plan/agree/{version.public_id}/").content.decode()
    match = re.search(r'name="shown" value="([^"]+)"', content)
    assert match
    return match.group(1)


def test_the_worker_asks_and_i_agree_what_i_was_shown(case, worker):
    version = draft_plan(case)
    assert "ask-client" in page(client_as(worker).get(f"/clients/{case.client.public_id}/"))
    browser = portal_as(case.client)
    # Not asked yet: nothing to agree.
    assert browser.get(f"/portal/plan/agree/{version.public_id}/").status_code == 404
    version = ask(worker, version)
    assert version.client_asked_by == worker and version.client_asked_at is not None
    assert 'data-testid="plan-waiting"' in page(browser.get("/portal/home/"))
    shown = page(browser.get(f"/portal/plan/agree/{version.public_id}/"))
    assert "Haluan oppia käyttämään kassaa" in shown and "Harjoittelen kassalla" in shown

    response = browser.post(
        f"/portal/plan/agree/{version.public_id}/", {"shown": shown_token(browser, version)}
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == PlanVersionStatus.AGREED
    assert (version.agreement_method, version.agreed_by) == (AgreementMethod.OWN_POLKU, None)
    assert version.agreed_at is not None
    event = AuditEvent.objects.get(action="plan.agree", client_id=case.client.public_id)
    assert event.details["actor"]["via"] == "portal" and event.membership_id is None
    assert 'data-testid="plan-waiting"' not in page(browser.get("/portal/home/"))


def test_a_draft_changed_after_it_was_shown_is_not_agreed(case, worker):
    version = ask(worker, draft_plan(case))
    browser = portal_as(case.client)
    token = shown_token(browser, version)
    goal = version.goals.get()
    plan_services.save_goal(version=version, by=worker, goal=goal, **goal_values("Haluan töihin heti"))
    response = browser.post(f"/portal/plan/agree/{version.public_id}/", {"shown": token})
    assert response.status_code == 400
    version.refresh_from_db()
    assert version.status == PlanVersionStatus.DRAFT


def test_another_clients_plan_is_404_and_audited(case, worker):
    version = ask(worker, draft_plan(case))
    other = open_case_for(worker).client
    browser = portal_as(other)
    assert browser.get(f"/portal/plan/agree/{version.public_id}/").status_code == 404
    assert browser.post(f"/portal/plan/agree/{version.public_id}/", {"shown": "x"}).status_code == 404
    version.refresh_from_db()
    assert version.status == PlanVersionStatus.DRAFT
    assert AuditEvent.objects.filter(action="portal.refused", client_id=case.client.public_id).count() == 2


def test_another_organisation_cannot_ask(case, worker, outsider):
    version = draft_plan(case)
    assert (
        client_as(outsider).post(f"/clients/plan-versions/{version.public_id}/ask-client/").status_code == 404
    )
    version.refresh_from_db()
    assert version.client_asked_at is None


def test_an_unknown_plan_id_is_the_same_404_and_audited_with_me_as_actor(case):
    browser = portal_as(case.client)
    missing = uuid.uuid4()
    assert browser.get(f"/portal/plan/agree/{missing}/").status_code == 404
    assert browser.post(f"/portal/plan/agree/{missing}/", {"shown": "x"}).status_code == 404
    refusals = AuditEvent.objects.filter(action="portal.refused", client_id=case.client.public_id)
    assert [event.object_id for event in refusals] == [str(missing)] * 2
    assert {event.details["actor"]["name"] for event in refusals} == {case.client.full_name}
