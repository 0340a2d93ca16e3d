"""Refusals: questionnaire pages of a case answer only its team; others get 404 (another organisation)
or 403 (their own organisation's case they are not on), and every refusal is audited."""

from __future__ import annotations

import pytest

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.instruments.models import Response
from tests.conftest import client_as
from tests.factories import make_membership, make_unit
from tests.instruments.conftest import record


@pytest.fixture
def stored(case):
    return record(case, "was", 5)


def pages(case, stored):
    return [
        f"/cases/{case.public_id}/questionnaires/",
        f"/cases/{case.public_id}/questionnaires/was/",
        f"/questionnaire-responses/{stored.public_id}/",
        f"/questionnaire-responses/{stored.public_id}/fhir.json",
        f"/api/v1/questionnaire-responses/{stored.public_id}/",
    ]


def test_the_team_opens_every_page(worker, case, stored):
    for url in pages(case, stored):
        assert client_as(worker).get(url).status_code == 200, url


def test_another_organisation_gets_404_and_the_refusal_is_audited(outsider, case, stored):
    for url in pages(case, stored):
        assert client_as(outsider).get(url).status_code == 404, url
    assert AuditEvent.objects.filter(action="permission.refused", membership=outsider).count() == 5


@pytest.mark.parametrize("who", ["colleague", "manager"])
def test_own_organisation_off_the_team_is_refused(who, request, case, stored):
    member = request.getfixturevalue(who)
    browser = client_as(member)

    for url in pages(case, stored):
        assert browser.get(url).status_code in (403, 404), url
    answer = browser.post(f"/cases/{case.public_id}/questionnaires/was/", {"item_1": "5", "action": "submit"})
    assert answer.status_code in (403, 404)
    assert Response.objects.count() == 1


def test_a_correction_by_someone_off_the_team_is_refused(colleague, stored):
    response = client_as(colleague).post(f"/questionnaire-responses/{stored.public_id}/correct/")

    assert response.status_code == 404
    assert Response.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "manager"])
def test_a_correction_by_another_organisation_or_another_role_is_refused(who, request, stored):
    response = client_as(request.getfixturevalue(who)).post(
        f"/questionnaire-responses/{stored.public_id}/correct/"
    )

    assert response.status_code in (403, 404)
    assert Response.objects.count() == 1


def test_a_work_trial_host_gets_no_questionnaire_definitions(oulu):
    host = make_membership(
        unit=make_unit(organisation=oulu, name="Työkokeilupaikka"), role=Role.WORK_TRIAL_HOST
    )
    browser = client_as(host)

    for url in ("/instruments/", "/instruments/was/fhir.json", "/api/v1/instruments/was/questionnaire/"):
        assert browser.get(url).status_code == 403, url


def test_staff_of_any_organisation_read_the_definitions_which_hold_no_client_data(outsider):
    for url in ("/instruments/", "/instruments/was/fhir.json", "/api/v1/instruments/was/questionnaire/"):
        assert client_as(outsider).get(url).status_code == 200, url
