"""FHIR downloads for staff, the API endpoints, and the management commands."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from polku.audit.models import AuditEvent
from polku.instruments.builtin import builtin_files
from tests.conftest import client_as
from tests.instruments.conftest import record


def test_staff_download_a_questionnaire_definition(worker):
    response = client_as(worker).get("/instruments/phq9/fhir.json?version=1")

    assert response.status_code == 200
    assert 'filename="phq9-1.questionnaire.json"' in response["Content-Disposition"]
    Questionnaire.parse_obj(json.loads(response.content))


def test_the_instrument_list_shows_licences_and_sources(worker):
    page = client_as(worker).get("/instruments/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No permission required to reproduce, translate, display or distribute" in page
    assert "must be checked against the official translations before clinical use" in page
    assert "Work Ability Index" in page


def test_an_unknown_instrument_or_version_is_404(worker):
    browser = client_as(worker)

    assert browser.get("/instruments/nothing/fhir.json").status_code == 404
    assert browser.get("/instruments/was/fhir.json?version=9").status_code == 404
    assert browser.get("/instruments/was/fhir.json?version=x").status_code == 404


def test_a_response_downloads_as_questionnaire_response_and_the_read_is_audited(worker, case):
    stored = record(case, "gad7", 6)

    response = client_as(worker).get(f"/questionnaire-responses/{stored.public_id}/fhir.json")

    QuestionnaireResponse.parse_obj(json.loads(response.content))
    assert response["Cache-Control"] == "no-store" or "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="response.export", client_id=case.client.public_id).count() == 1


def test_the_api_answers_questionnaire_and_response_json(worker, case):
    stored = record(case, "was", 9)
    browser = client_as(worker)

    definition = browser.get("/api/v1/instruments/was/questionnaire/")
    answers = browser.get(f"/api/v1/questionnaire-responses/{stored.public_id}/")

    Questionnaire.parse_obj(definition.json())
    QuestionnaireResponse.parse_obj(answers.json())
    assert answers.json()["id"] == str(stored.public_id)
    assert AuditEvent.objects.filter(action="response.export", details__format="fhir-api").count() == 1


@pytest.mark.django_db
def test_export_instrument_prints_the_version_and_import_instrument_reads_it_back(tmp_path):
    out = StringIO()
    call_command("export_instrument", "was", "--version", "1", stdout=out)
    data = json.loads(out.getvalue())
    data["version"] = "2"
    path = tmp_path / "was-2.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    said = StringIO()
    call_command("import_instrument", str(path), stdout=said)
    call_command("import_instrument", str(builtin_files()[0]), stdout=said)

    assert "Imported was version 2 (published)." in said.getvalue()
    assert "Already stored: was version 1" in said.getvalue()


@pytest.mark.django_db
def test_import_instrument_refuses_a_file_that_is_not_a_questionnaire(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"resourceType": "Patient"}', encoding="utf-8")

    with pytest.raises(CommandError, match="Not a FHIR Questionnaire"):
        call_command("import_instrument", str(path))
    with pytest.raises(CommandError, match="No such instrument version"):
        call_command("export_instrument", "nothing")
