"""The assessment pages as the team uses them: the overview panel, starting, inviting, findings with
ICF codes and questionnaire results, the meeting, concluding with confirmation, addenda; forms keep
what was typed when something is wrong; pages run a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polku.accounts.models import Role
from polku.assessments import services
from polku.assessments.models import Assessment, AssessmentInvitation, Finding
from polku.assessments.selectors import assessments_panel
from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from tests.conftest import client_as
from tests.factories import make_membership
from tests.instruments.conftest import record
from tests.queries import AUDIT_EVENT

from .conftest import EN, conclude, days_ago, finding, meeting, text, today


def test_the_overview_offers_to_start_an_assessment_and_lists_them(case, worker, team_colleague):
    overview = f"/clients/{case.client.public_id}/"
    shown = text(client_as(worker).get(overview, **EN))
    assert "No work ability assessments." in shown
    assert f"/assessments/start/{case.public_id}/" in shown
    # A team member who does not manage the case sees the panel but no start link.
    assert f"/assessments/start/{case.public_id}/" not in text(client_as(team_colleague).get(overview, **EN))

    response = client_as(worker).post(
        f"/assessments/start/{case.public_id}/",
        {"kind": "comprehensive", "question": "Millaiseen työhön?", "started_on": today().isoformat()},
        **EN,
    )

    started = Assessment.objects.get()
    assert response["Location"] == f"/assessments/{started.public_id}/"
    shown = text(client_as(team_colleague).get(overview, **EN))
    assert "Comprehensive work ability assessment" in shown
    assert "In progress" in shown


def test_starting_with_bad_input_keeps_what_was_typed(case, worker):
    response = client_as(worker).post(
        f"/assessments/start/{case.public_id}/",
        {"question": "Millaiseen työhön?", "started_on": "2999-01-01"},
        **EN,
    )

    assert response.status_code == 400
    shown = text(response)
    assert "Check the form" in shown
    assert "Millaiseen työhön?" in shown
    assert not Assessment.objects.exists()


def test_inviting_a_team_member(case, worker, team_colleague):
    started = Assessment.objects.create(case=case, client=case.client, kind="focused", started_by=worker)
    url = f"/assessments/{started.public_id}/invite/"
    assert str(team_colleague.user) in text(client_as(worker).get(url, **EN))

    response = client_as(worker).post(url, {"member": team_colleague.pk, "domain": "psychological"}, **EN)
    assert response.status_code == 400
    assert "does not assess the psychological domain" in text(response)

    client_as(worker).post(url, {"member": team_colleague.pk, "domain": "somatic"}, **EN)
    assert AssessmentInvitation.objects.get().domain == "somatic"


def test_the_invited_nurse_records_findings_with_icf_codes_and_a_questionnaire(
    assessment, case, worker, team_colleague
):
    response_ = record(case, "phq9", 7, by=worker)
    url = f"/assessments/{assessment.public_id}/findings/new/"
    form = text(client_as(team_colleague).get(url, **EN))
    assert "PHQ-9" in form
    assert "b280" in form  # the ICF list

    bad = client_as(team_colleague).post(
        url, {"domain": "somatic", "text": "Selkäkipua.", "icf_codes": "b280 x123"}, **EN
    )
    assert bad.status_code == 400
    assert "x123" in text(bad)
    assert "Selkäkipua." in text(bad)
    assert not Finding.objects.exists()

    client_as(team_colleague).post(
        url,
        {
            "domain": "somatic",
            "text": "Selkäkipua.",
            "icf_codes": "B280, d430",
            "responses": [str(response_.public_id)],
        },
        **EN,
    )

    stored = Finding.objects.get()
    assert stored.icf_codes == ["b280", "d430"]
    assert list(stored.responses.all()) == [response_]
    page = text(client_as(worker).get(f"/assessments/{assessment.public_id}/", **EN))
    assert "d430 Lifting and carrying objects" in page
    assert "7 points" in page


def test_recording_the_meeting_and_concluding_after_confirmation(assessment, worker, team_colleague):
    finding(assessment, team_colleague)
    browser = client_as(worker)
    browser.post(
        f"/assessments/{assessment.public_id}/meeting/",
        {
            "held_on": today().isoformat(),
            "participants": "Asiakas, omatyöntekijä",
            "client_view": "Haluan kevyempää työtä.",
        },
        **EN,
    )
    url = f"/assessments/{assessment.public_id}/conclude/"
    body = {
        "conclusion": "open_market_adjusted",
        "summary": "Kevyt työ sopii.",
        "recommendations": "Työkokeilu\nTyöpaikan mukautukset",
        "concluded_on": today().isoformat(),
    }

    unconfirmed = browser.post(url, body, **EN)
    assert unconfirmed.status_code == 400
    assert "Confirm that the assessment is locked" in text(unconfirmed)
    assert "Työpaikan mukautukset" in text(unconfirmed)
    assert not Assessment.objects.get().is_concluded

    browser.post(url, {**body, "confirm": "on", "confirm_empty_domains": "on"}, **EN)

    page = text(browser.get(f"/assessments/{assessment.public_id}/", **EN))
    assert "Open labour market with adjustments" in page
    assert "Haluan kevyempää työtä." in page
    assert "the record is locked" in page
    assert "Record findings" not in page
    assert "Write an addendum" in page


def test_an_addendum_after_conclusion(assessment, worker, team_colleague):
    meeting(assessment, worker)
    conclude(assessment, worker)

    client_as(team_colleague).post(
        f"/assessments/{assessment.public_id}/addenda/new/", {"text": "Korjaus: vasen selkä."}, **EN
    )

    assert "Korjaus: vasen selkä." in text(
        client_as(worker).get(f"/assessments/{assessment.public_id}/", **EN)
    )


def test_viewing_the_assessment_is_audited(assessment, worker):
    client_as(worker).get(f"/assessments/{assessment.public_id}/", **EN)

    event = AuditEvent.objects.get(action="assessment.view", membership=worker)
    assert event.client_id == assessment.client.public_id


def _fill(assessment, worker, team_colleague, case, n):
    """n findings in two domains, each somatic one with a questionnaire, n invited physiotherapists."""
    response = record(case, "phq9", 5, by=worker)
    for i in range(n):
        finding(assessment, team_colleague, text=f"Havainto {i}", icf_codes=["b280"], responses=[response])
        finding(assessment, worker, domain="social", text=f"Sosiaalinen {i}")
        member = make_membership(unit=worker.unit, role=Role.PHYSIOTHERAPIST)
        client_services.add_team_member(case=case, member=member, by=worker, started_on=days_ago(1))
        services.invite_to_assessment(assessment=assessment, member=member, domain="somatic", by=worker)
    meeting(assessment, worker)


# Measured: session, the user with their active memberships, the assessment, the consents valid today, the findings and their
# questionnaires, invitations, meetings, recommendations, addenda, the viewer's
# invitations (may they contribute), the audit event (AUDIT_EVENT, tests/queries.py). The
# personal worker manages the case, so no team check is asked. Host feedback attached to findings
# (issue 6) adds two: whether the viewer sees the client now (the rule of `placement.view`) and the
# attached feedback they may read.
QUERIES_ASSESSMENT_PAGE = 13 + AUDIT_EVENT


@pytest.mark.parametrize("n", [1, 12])
def test_the_assessment_page_runs_a_fixed_number_of_queries(
    assessment, worker, team_colleague, case, espoo_on_team, n, django_assert_num_queries
):
    _fill(assessment, worker, team_colleague, case, n)
    browser = client_as(worker)
    browser.get(f"/assessments/{assessment.public_id}/", **EN)  # the first request records the MFA check

    with django_assert_num_queries(QUERIES_ASSESSMENT_PAGE):
        response = browser.get(f"/assessments/{assessment.public_id}/", **EN)

    assert len(response.context["page"].findings) == 2 * n


# The assessments; that the personal worker may start one needs no query.
QUERIES_PANEL = 1


@pytest.mark.parametrize("n", [1, 8])
def test_the_overview_panel_runs_the_same_queries_whatever_the_number_of_assessments(
    case, worker, n, django_assert_num_queries
):
    for _ in range(n):
        Assessment.objects.create(
            case=case,
            client=case.client,
            kind="focused",
            started_by=worker,
            conclusion="studies",
            summary="Yhteenveto",
            concluded_on=today(),
            concluded_at=timezone.now(),
        )

    with django_assert_num_queries(QUERIES_PANEL):
        panel = assessments_panel(case.client, case, worker)

    assert len(panel["assessments"]) == n
    assert panel["can_start"] is True


def test_the_forms_of_a_concluded_assessment_send_back_to_it_and_nothing_changes(
    assessment, worker, team_colleague
):
    finding(assessment, team_colleague)
    meeting(assessment, worker)
    conclude(assessment, worker)
    base = f"/assessments/{assessment.public_id}/"
    browsers = {worker: client_as(worker), team_colleague: client_as(team_colleague)}

    for who, name, body in [
        (team_colleague, "findings/new/", {"domain": "somatic", "text": "Lisää"}),
        (worker, "meeting/", {"held_on": today().isoformat(), "participants": "X", "client_view": "Y"}),
        (worker, "invite/", {"member": team_colleague.pk, "domain": "somatic"}),
        (worker, "conclude/", {"conclusion": "studies", "summary": "Z", "confirm": "on"}),
    ]:
        response = browsers[who].post(base + name, body, **EN)
        assert response.status_code == 302, name
        assert response["Location"] == base

    stored = Assessment.objects.get()
    assert (stored.conclusion, Finding.objects.count()) == ("supported_employment", 1)
    assert "Write an addendum instead" in text(browsers[worker].get(base, **EN))
