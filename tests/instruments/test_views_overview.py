"""The client overview's questionnaire section and safety alerts, the caseload flag, and acknowledging."""

from __future__ import annotations

import pytest

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.instruments.models import SafetyAlert
from tests.clients.conftest import EN, days_ago, text
from tests.conftest import client_as
from tests.instruments.conftest import record


def overview(membership, case):
    return client_as(membership).get(f"/clients/{case.client.public_id}/", **EN)


def test_the_overview_charts_each_instruments_scores_with_the_change_since_the_first(worker, case):
    for total in (3, 6, 8):
        record(case, "was", total)
    record(case, "gad7", 12)

    page = text(overview(worker, case))

    assert (
        "Work Ability Score (WAS)</strong>: latest 8 / 10 (Good), change since the first measurement +5"
        in page
    )
    assert page.count("<polyline") == 2
    assert "<td>3</td><td>Poor</td>" in page and "<td>8</td><td>Good</td>" in page
    assert "GAD-7" in page and "latest 12 / 21 (Moderate)" in page
    assert "Fill in a questionnaire" in page


def test_another_organisation_sees_a_health_questionnaire_only_under_consent(worker, case, outsider):
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(3))
    record(case, "phq9", 7)
    record(case, "was", 4)

    page = text(overview(outsider, case))

    assert "PHQ-9" not in page
    assert "Work Ability Score (WAS)" not in page  # employment register of Oulu: no consent either
    assert "No questionnaires answered yet." in page


def test_an_open_safety_alert_is_shown_to_the_team_with_its_guidance(worker, colleague, case):
    client_services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(3))
    record(case, "phq9", 1, **{"9": "1"})

    for member in (worker, colleague):
        page = text(overview(member, case))
        assert "Safety alert: PHQ-9 question 9" in page
        assert "Acknowledge the alert" in page


def test_the_caseload_flags_the_case_with_an_open_alert(worker, case):
    record(case, "phq9", 1, **{"9": "1"})

    page = text(client_as(worker).get("/caseload/", **EN))

    assert "Safety alert" in page


def test_acknowledging_removes_the_alert_from_the_overview(worker, case):
    record(case, "phq9", 1, **{"9": "1"})
    alert = SafetyAlert.objects.get()
    browser = client_as(worker)

    form = browser.get(f"/safety-alerts/{alert.public_id}/acknowledge/", **EN)
    response = browser.post(f"/safety-alerts/{alert.public_id}/acknowledge/", {"note": "Puhuttu."}, **EN)

    assert form.status_code == 200
    assert response.status_code == 302
    page = text(browser.get(response["Location"], **EN))
    assert "Safety alert acknowledged." in page
    assert "Acknowledge the alert" not in page
    assert "Safety alert: PHQ-9 question 9 (PHQ-9 question 9: thoughts of death or of self-harm)" not in page


@pytest.mark.parametrize("who", ["colleague", "outsider", "manager"])
def test_someone_off_the_team_cannot_acknowledge(who, request, case):
    record(case, "phq9", 1, **{"9": "1"})
    alert = SafetyAlert.objects.get()

    response = client_as(request.getfixturevalue(who)).post(
        f"/safety-alerts/{alert.public_id}/acknowledge/", {}
    )

    assert response.status_code == 404
    assert SafetyAlert.objects.get().acknowledged_at is None


@pytest.mark.parametrize("who", ["colleague", "outsider", "manager"])
def test_someone_off_the_team_cannot_open_the_alert(who, request, case):
    record(case, "phq9", 1, **{"9": "1"})
    alert = SafetyAlert.objects.get()

    response = client_as(request.getfixturevalue(who)).get(f"/safety-alerts/{alert.public_id}/acknowledge/")

    assert response.status_code == 404


def test_opening_the_alert_is_audited_as_a_read_of_the_alert(worker, case):
    record(case, "phq9", 1, **{"9": "1"})
    alert = SafetyAlert.objects.get()

    assert client_as(worker).get(f"/safety-alerts/{alert.public_id}/acknowledge/").status_code == 200

    [event] = AuditEvent.objects.filter(action="safety_alert.view")
    assert (event.object_id, event.client_id) == (str(alert.public_id), case.client.public_id)
