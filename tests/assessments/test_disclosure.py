"""Somatic and psychological findings are health care records of the author's organisation: another
organisation on the team reads them (on the page and in the PDF) only under the client's consent for
health care records; without it the page says nothing of them — not who holds them, nor how many —
only, as on every assessment, that other organisations' findings need the client's consent."""

from __future__ import annotations

from polku.assessments.choices import Domain
from polku.clients import services as client_services
from tests.conftest import client_as
from tests.instruments.conftest import record

from .conftest import EN, days_ago, finding, text


def page(membership, assessment) -> str:
    return text(client_as(membership).get(f"/assessments/{assessment.public_id}/", **EN))


def test_another_organisation_on_the_team_does_not_read_health_findings_without_consent(
    assessment, worker, team_colleague, espoo_on_team
):
    finding(assessment, team_colleague, text="Selkä kipeä pitkään seistessä.")
    finding(assessment, worker, domain=Domain.SOCIAL, text="Asuu yksin.")

    shown = page(espoo_on_team, assessment)

    assert "Selkä kipeä" not in shown
    assert "Asuu yksin" not in shown
    assert "Oulun kaupunki (testi)" not in shown.split("Findings")[1].split("Team meeting")[0]
    assert (
        "Findings and addenda that other organisations write are shown only under the client's consent."
        in shown
    )
    assert "Selkä kipeä" in page(worker, assessment)


def test_under_the_clients_consent_for_health_records_they_are_shown(
    assessment, worker, team_colleague, espoo_on_team, oulu, espoo
):
    finding(assessment, team_colleague, text="Selkä kipeä pitkään seistessä.")
    finding(assessment, worker, domain=Domain.SOCIAL, text="Asuu yksin.")
    client_services.record_consent(
        client=assessment.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_health=True,
        purpose="Työkyvyn arviointi",
        valid_from=days_ago(1),
        method="written",
    )

    shown = page(espoo_on_team, assessment)

    assert "Selkä kipeä" in shown
    # The consent covers health care records only: the social welfare finding stays with Oulu.
    assert "Asuu yksin" not in shown


def test_an_attached_questionnaire_is_shown_only_to_those_who_may_read_it(
    assessment, case, worker, team_colleague, espoo_on_team, oulu, espoo
):
    response = record(case, "phq9", 7, by=worker)
    finding(assessment, team_colleague, responses=[response])
    client_services.record_consent(
        client=assessment.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_health=True,
        purpose="Työkyvyn arviointi",
        valid_from=days_ago(1),
        method="written",
    )

    assert "7 points" in page(worker, assessment)
    assert "7 points" in page(espoo_on_team, assessment)


def test_the_clients_data_export_holds_the_assessment_with_the_findings_the_worker_may_read(
    assessment, worker, team_colleague, espoo_on_team
):
    finding(assessment, team_colleague, text="Selkä kipeä pitkään seistessä.")

    own = client_as(worker).get(f"/clients/{assessment.client.public_id}/export.json", **EN).json()
    [section] = [s for s in own["sections"] if s["key"] == "assessments"]
    [record_] = section["records"]
    assert record_["findings"][0]["text"] == "Selkä kipeä pitkään seistessä."
