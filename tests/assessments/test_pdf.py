"""The written summary as a PDF: in the client's language, headed by the organisation, holding the
findings the downloader may read, the conclusion and the client's own view; downloading is audited."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from polku.audit.models import AuditEvent
from polku.clients.models import Client
from tests.conftest import client_as

from .conftest import EN, conclude, finding, meeting


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def concluded(assessment, worker, team_colleague):
    finding(assessment, team_colleague, text="Selkä kipeä pitkään seistessä.", icf_codes=["b28013"])
    finding(assessment, worker, domain="vocational", text="Asiakaspalvelukokemusta kymmenen vuotta.")
    meeting(assessment, worker, client_view="Haluan takaisin asiakaspalveluun.")
    return conclude(assessment, worker, recommendations=["IPS-työhönvalmennus"])


def download(membership, assessment):
    response = client_as(membership).get(f"/assessments/{assessment.public_id}/summary.pdf", **EN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_the_summary_holds_the_findings_conclusion_and_the_clients_view_in_finnish(concluded, worker):
    text = download(worker, concluded)

    assert "Selkä kipeä pitkään seistessä." in text
    assert "Asiakaspalvelukokemusta kymmenen vuotta." in text
    assert "Haluan takaisin asiakaspalveluun." in text
    assert "Työkyky riittää kevyeen työhön tuettuna." in text
    assert "IPS-työhönvalmennus" in text
    assert "Selkäkipu" in text  # b28013 in Finnish
    assert concluded.case.unit.organisation.name in text
    assert "Sivu 1" in text


def test_the_summary_is_printed_in_the_clients_language(concluded, worker):
    Client.objects.filter(pk=concluded.client_id).update(languages=["en"])

    text = download(worker, concluded)

    assert "Pain in back" in text
    assert "Page 1" in text


def test_downloading_is_audited(concluded, worker):
    download(worker, concluded)

    event = AuditEvent.objects.get(action="assessment.summary_pdf")
    assert (event.membership, event.client_id) == (worker, concluded.client.public_id)
    assert event.details["findings"] == 2


def test_another_organisation_without_consent_gets_a_summary_without_the_health_findings(
    concluded, espoo_on_team
):
    text = download(espoo_on_team, concluded)

    assert "Selkä kipeä" not in text
    # The meeting record and the conclusion are records of the case register, withheld too without a
    # consent covering it (test_texts_disclosure.py).
    assert "Haluan takaisin asiakaspalveluun." not in text
    assert "Ei näytetä: ei suostumusta" in text  # "Withheld: no consent" in the client's Finnish
