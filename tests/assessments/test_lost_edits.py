"""Assessments lose nothing (issue 21): a conclusion opened before a colleague recorded a finding is
refused, naming the colleague; a findings form sent twice records one finding."""

from __future__ import annotations

from polku.assessments.models import Assessment, Finding
from tests.assessments.conftest import EN, finding, meeting, today
from tests.clients.conftest import text
from tests.conftest import client_as


def _form_value(response, name: str) -> str:
    return str(response.context["form"][name].value())


def test_concluding_after_a_colleagues_new_finding_is_refused_naming_the_colleague(
    assessment, worker, team_colleague
):
    team_colleague.user.first_name, team_colleague.user.last_name = "Niina", "Nurmi"
    team_colleague.user.save(update_fields=["first_name", "last_name"])
    meeting(assessment, worker)
    browser = client_as(worker)
    url = f"/assessments/{assessment.public_id}/conclude/"
    opened = browser.get(url, **EN)
    finding(assessment, team_colleague, text="Nostorajoitus 10 kg.")
    body = {
        "conclusion": "open_market_adjusted",
        "summary": "Kevyt työ sopii.",
        "recommendations": "Työkokeilu",
        "concluded_on": today().isoformat(),
        "confirm": "on",
        "confirm_empty_domains": "on",
        "expected_version": _form_value(opened, "expected_version"),
    }

    response = browser.post(url, body, **EN)

    assert response.status_code == 400
    assert "Niina Nurmi added to the assessment at" in text(response)
    assert "Kevyt työ sopii." in text(response)  # the summary typed is kept
    assert not Assessment.objects.get().is_concluded

    again = {**body, "expected_version": _form_value(response, "expected_version")}
    assert browser.post(url, again).status_code == 302
    assert Assessment.objects.get().is_concluded


def test_a_findings_form_sent_twice_records_one_finding(assessment, team_colleague):
    browser = client_as(team_colleague)
    url = f"/assessments/{assessment.public_id}/findings/new/"
    key = _form_value(browser.get(url, **EN), "idempotency_key")
    body = {"domain": "somatic", "text": "Selkäkipua.", "icf_codes": "", "idempotency_key": key}

    assert browser.post(url, body).status_code == 302
    assert browser.post(url, body).status_code == 302

    assert Finding.objects.count() == 1
