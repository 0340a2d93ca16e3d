"""The assessment's own texts (question, meeting record with the client's view, conclusion, summary,
recommendations) are records of the case organisation in the case register (`register_for`, as the
service plan): another organisation on the team reads them only under the client's consent covering
that register; without it they see the kind, dates, status, invitations and their own findings, and can
still contribute. Addenda are records of their author's organisation and register. The same on the page,
in the PDF, in the data export and on the timeline."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from polku.accounts.models import Role
from polku.assessments import conclusion, selectors
from polku.assessments import services as s
from polku.assessments.choices import Domain
from polku.clients import services as client_services
from polku.clients import timeline
from polku.clients.models import Register
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

from .conftest import EN, conclude, days_ago, finding, meeting, text

SUMMARY = "Ulosotto ja alkoholin liikakäyttö estävät työllistymisen."
VIEW = "Juon liikaa kun velat ahdistaa."
RECOMMENDATION = "Ohjaus päihdepalveluihin"
QUESTION = "Riittääkö työkyky kevyeen työhön velkojen keskellä?"


@pytest.fixture
def espoo_nurse(case, worker, espoo, assessment):
    nurse = make_membership(unit=make_unit(organisation=espoo, name="Terveysasema"), role=Role.NURSE)
    client_services.add_team_member(case=case, member=nurse, by=worker, started_on=days_ago(5))
    s.invite_to_assessment(assessment=assessment, member=nurse, domain=Domain.SOMATIC, by=worker)
    return nurse


@pytest.fixture
def concluded(assessment, worker, espoo_nurse):
    type(assessment).objects.filter(pk=assessment.pk).update(question=QUESTION)
    finding(assessment, worker, domain=Domain.SOCIAL, text="Velkaantunut, ulosotossa.")
    finding(assessment, espoo_nurse, text="Tyypin 1 diabetes, huono hoitotasapaino.")
    meeting(assessment, worker, client_view=VIEW)
    return conclude(
        assessment,
        worker,
        conclusion="social_rehabilitation_first",
        summary=SUMMARY,
        recommendations=[RECOMMENDATION],
    )


def consent(client, worker, discloser, recipient, **covers):
    return client_services.record_consent(
        client=client,
        by=worker,
        discloser=discloser,
        recipient=recipient,
        purpose="Työkyvyn arviointi",
        valid_from=days_ago(1),
        method="written",
        **covers,
    )


def pdf_text(membership, assessment) -> str:
    response = client_as(membership).get(f"/assessments/{assessment.public_id}/summary.pdf", **EN)
    assert response.status_code == 200
    # Words as read, whatever line they wrap to: a wrapped "HbA1c 95" must not pass a `not in` test.
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )


def test_another_organisation_does_not_read_the_assessments_texts_without_consent(concluded, espoo_nurse):
    shown = text(client_as(espoo_nurse).get(f"/assessments/{concluded.public_id}/", **EN))

    for secret in (SUMMARY, VIEW, RECOMMENDATION, QUESTION, "Social rehabilitation first"):
        assert secret not in shown
    assert "Withheld: no consent" in shown
    # What they still see: the kind, status, their invitation and their own finding.
    assert "Comprehensive work ability assessment" in shown
    assert "Concluded" in shown
    assert "Somatic" in shown
    assert "Tyypin 1 diabetes" in shown

    printed = pdf_text(espoo_nurse, concluded)
    for secret in (SUMMARY, VIEW, RECOMMENDATION, QUESTION):
        assert secret not in printed
    # The PDF is in the client's language (Finnish here).
    assert "Ei näytetä: ei suostumusta" in printed


def test_the_case_organisation_reads_them(concluded, worker):
    shown = text(client_as(worker).get(f"/assessments/{concluded.public_id}/", **EN))
    for secret in (SUMMARY, VIEW, RECOMMENDATION, QUESTION):
        assert secret in shown
    assert "Withheld: no consent" not in shown


def test_under_a_consent_covering_the_case_register_they_are_shown(
    concluded, espoo_nurse, worker, oulu, espoo
):
    # Oulu is a municipality: the case register is employment services.
    consent(concluded.client, worker, oulu, espoo, covers_health=True, covers_social=True)
    shown = text(client_as(espoo_nurse).get(f"/assessments/{concluded.public_id}/", **EN))
    assert SUMMARY not in shown

    consent(concluded.client, worker, oulu, espoo, covers_employment=True)
    shown = text(client_as(espoo_nurse).get(f"/assessments/{concluded.public_id}/", **EN))
    for secret in (SUMMARY, VIEW, RECOMMENDATION, QUESTION):
        assert secret in shown
    assert SUMMARY in pdf_text(espoo_nurse, concluded)


def test_without_consent_they_can_still_contribute(assessment, worker, espoo_nurse):
    meeting(assessment, worker, client_view=VIEW)
    page = client_as(espoo_nurse).get(f"/assessments/{assessment.public_id}/", **EN)
    assert VIEW not in text(page)
    assert f"/assessments/{assessment.public_id}/findings/new/" in page.content.decode()
    finding(assessment, espoo_nurse, text="Verenpaine koholla.")
    assert "Verenpaine koholla" in text(
        client_as(espoo_nurse).get(f"/assessments/{assessment.public_id}/", **EN)
    )


def test_the_export_withholds_the_texts(concluded, espoo_nurse, worker):
    exported = selectors.for_export(concluded.client, espoo_nurse)
    assert len(exported) == 1
    row = exported[0]
    assert row["summary_text"] == "withheld: no consent"
    assert row["question"] == "withheld: no consent"
    assert row["meetings"] == [] and row["recommendations"] == []
    assert "Social rehabilitation first" not in row["summary"]
    assert [f["text"] for f in row["findings"]] == ["Tyypin 1 diabetes, huono hoitotasapaino."]

    own = selectors.for_export(concluded.client, worker)[0]
    assert own["summary_text"] == SUMMARY and own["recommendations"] == [RECOMMENDATION]


def test_the_meeting_and_conclusion_timeline_entries_are_case_register_records(
    concluded, espoo_nurse, worker
):
    entries = {e.kind: e for e in timeline.for_client(concluded.client, viewer=worker)}
    assert entries["assessment.concluded"].register == Register.EMPLOYMENT
    assert entries["assessment.meeting"].register == Register.EMPLOYMENT
    kinds = {e.kind for e in timeline.for_client(concluded.client, viewer=espoo_nurse)}
    assert "assessment.concluded" not in kinds
    assert "assessment.meeting" not in kinds


# --- Addenda (review point 2) ----------------------------------------------------------------------------


def test_an_invited_nurses_addendum_is_a_health_record_of_her_organisation(
    concluded, espoo_nurse, worker, espoo
):
    addendum = conclusion.add_addendum(assessment=concluded, by=espoo_nurse, text="Korjaus: HbA1c 95.")
    assert addendum.organisation == espoo
    assert addendum.register == Register.HEALTH

    shown = text(client_as(worker).get(f"/assessments/{concluded.public_id}/", **EN))
    assert "HbA1c 95" not in shown
    assert "addendum withheld" not in shown  # not even how many
    assert 'id="addenda"' not in shown  # the section is left out when the viewer may read none
    assert "HbA1c 95" not in pdf_text(worker, concluded)
    assert all("HbA1c" not in d["text"] for d in selectors.for_export(concluded.client, worker)[0]["addenda"])
    entry = next(
        e
        for e in timeline.for_client(concluded.client, viewer=espoo_nurse)
        if e.kind == "assessment.addendum"
    )
    assert entry.register == Register.HEALTH
    assert "assessment.addendum" not in {e.kind for e in timeline.for_client(concluded.client, viewer=worker)}

    assert "HbA1c 95" in text(client_as(espoo_nurse).get(f"/assessments/{concluded.public_id}/", **EN))


def test_under_a_health_consent_the_addendum_is_shown(concluded, espoo_nurse, worker, oulu, espoo):
    conclusion.add_addendum(assessment=concluded, by=espoo_nurse, text="Korjaus: HbA1c 95.")
    consent(concluded.client, worker, espoo, oulu, covers_health=True)
    assert "HbA1c 95" in text(client_as(worker).get(f"/assessments/{concluded.public_id}/", **EN))
    assert "HbA1c 95" in pdf_text(worker, concluded)


def test_the_case_organisations_addendum_is_in_the_case_register(concluded, worker, oulu, team_colleague):
    addendum = conclusion.add_addendum(
        assessment=concluded, by=worker, text="Lisäys: asiakas aloitti kuntouttavan."
    )
    assert (addendum.organisation, addendum.register) == (oulu, Register.EMPLOYMENT)
    # The strictest register of the domains rule is for invited contributors of another organisation.
    nurse_addendum = conclusion.add_addendum(assessment=concluded, by=team_colleague, text="Lisäys.")
    assert nurse_addendum.register == Register.EMPLOYMENT


def test_an_invited_contributor_gets_the_strictest_of_their_domains(case, worker, espoo, assessment):
    physician = make_membership(unit=make_unit(organisation=espoo, name="Lääkärit"), role=Role.PHYSICIAN)
    client_services.add_team_member(case=case, member=physician, by=worker, started_on=days_ago(5))
    therapist = make_membership(
        unit=make_unit(organisation=espoo, name="Toiminta"), role=Role.OCCUPATIONAL_THERAPIST
    )
    client_services.add_team_member(case=case, member=therapist, by=worker, started_on=days_ago(5))
    s.invite_to_assessment(assessment=assessment, member=therapist, domain=Domain.VOCATIONAL, by=worker)
    s.invite_to_assessment(assessment=assessment, member=therapist, domain=Domain.SOMATIC, by=worker)
    s.invite_to_assessment(assessment=assessment, member=physician, domain=Domain.PSYCHOLOGICAL, by=worker)
    assert conclusion.addendum_register(assessment, therapist) == Register.HEALTH
    assert conclusion.addendum_register(assessment, physician) == Register.HEALTH


def test_the_client_overview_panel_shows_the_conclusion_only_to_the_case_organisation(
    concluded, espoo_nurse, worker
):
    own = text(client_as(worker).get(f"/clients/{concluded.client.public_id}/", **EN))
    other = text(client_as(espoo_nurse).get(f"/clients/{concluded.client.public_id}/", **EN))
    assert "Social rehabilitation first" in own
    assert "Concluded" in other
    assert "Social rehabilitation first" not in other
