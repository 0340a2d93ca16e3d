"""A comprehensive assessment covers every domain: concluding it with domains left without findings is
asked first, naming them in the reader's language, and possible once confirmed. A focused assessment
is not asked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from polku.assessments import conclusion
from polku.assessments import services as assessment_services
from polku.assessments.choices import AssessmentKind, Domain
from polku.assessments.models import Assessment
from polku.audit.models import AuditEvent
from tests.assessments.conftest import EN, days_ago, finding, meeting, today
from tests.clients.conftest import text
from tests.conftest import client_as

BODY = {
    "conclusion": "open_market_adjusted",
    "summary": "Kevyt työ sopii.",
    "recommendations": "Työkokeilu",
    "confirm": "on",
}


def url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.public_id}/conclude/"


def test_the_service_refuses_to_conclude_with_unconfirmed_empty_domains(assessment, worker, team_colleague):
    finding(assessment, team_colleague)
    meeting(assessment, worker)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        conclusion.conclude_assessment(
            assessment=assessment, by=worker, conclusion="studies", summary="Opinnot."
        )

    assert "psychological, social, vocational and skills" in " ".join(refused.value.messages)
    assert refused.value.error_dict["__all__"][0].code == "empty_domains"
    assert not Assessment.objects.get().is_concluded


def test_confirming_only_some_empty_domains_is_not_enough(assessment, worker, team_colleague):
    finding(assessment, team_colleague)
    meeting(assessment, worker)

    with translation.override("en"), pytest.raises(ValidationError, match="vocational"):
        conclusion.conclude_assessment(
            assessment=assessment,
            by=worker,
            conclusion="studies",
            summary="Opinnot.",
            empty_domains_confirmed=[Domain.PSYCHOLOGICAL, Domain.SOCIAL],
        )


def test_the_conclusion_form_names_the_empty_domains_and_asks_before_concluding(
    assessment, worker, team_colleague
):
    finding(assessment, team_colleague)
    finding(assessment, worker, domain=Domain.SOCIAL, text="Asuu yksin.")
    meeting(assessment, worker)
    browser = client_as(worker)

    form = browser.get(url(assessment), **EN)
    page = text(form)
    assert form.status_code == 200
    assert "Domains without findings" in page
    assert "Conclude although no findings were recorded in: psychological, vocational and skills." in page

    body = {**BODY, "concluded_on": today().isoformat()}
    asked = browser.post(url(assessment), body, **EN)
    assert asked.status_code == 400
    assert (
        "No findings were recorded in: psychological, vocational and skills. Confirm that you conclude "
        "without them." in text(asked)
    )
    assert "Kevyt työ sopii." in text(asked)  # nothing typed is lost
    assert not Assessment.objects.get().is_concluded

    done = browser.post(url(assessment), {**body, "confirm_empty_domains": "on"}, **EN)
    assert done.status_code == 302
    assert Assessment.objects.get().is_concluded
    event = AuditEvent.objects.get(action="assessment.conclude")
    assert event.details["empty_domains"] == ["psychological", "vocational"]


def test_the_question_is_in_the_readers_language(assessment, worker, team_colleague):
    finding(assessment, team_colleague)
    meeting(assessment, worker)

    page = text(client_as(worker).get(url(assessment), HTTP_ACCEPT_LANGUAGE="fi"))

    assert "psykologinen" in page.lower()
    assert "Domains without findings" not in page


def test_with_every_domain_covered_nothing_is_asked(assessment, worker, team_colleague, psychologist, case):
    from polku.clients import services as client_services

    client_services.add_team_member(case=case, member=psychologist, by=worker, started_on=days_ago(5))
    assessment_services.invite_to_assessment(
        assessment=assessment, member=psychologist, domain=Domain.PSYCHOLOGICAL, by=worker
    )
    finding(assessment, team_colleague)
    finding(assessment, psychologist, domain=Domain.PSYCHOLOGICAL, text="Mieliala tasainen.")
    finding(assessment, worker, domain=Domain.SOCIAL, text="Asuu yksin.")
    finding(assessment, worker, domain=Domain.VOCATIONAL, text="Varastotyön kokemus.")
    meeting(assessment, worker)
    browser = client_as(worker)

    assert "Domains without findings" not in text(browser.get(url(assessment), **EN))
    done = browser.post(url(assessment), {**BODY, "concluded_on": today().isoformat()}, **EN)

    assert done.status_code == 302
    assert Assessment.objects.get().is_concluded


def test_a_focused_assessment_is_concluded_without_the_question(case, worker):
    focused = assessment_services.start_assessment(
        case=case, by=worker, kind=AssessmentKind.FOCUSED, started_on=days_ago(3)
    )
    finding(focused, worker, domain=Domain.VOCATIONAL, text="Varastotyön kokemus.")
    meeting(focused, worker)
    browser = client_as(worker)

    assert "Domains without findings" not in text(browser.get(url(focused), **EN))
    done = browser.post(url(focused), {**BODY, "concluded_on": today().isoformat()}, **EN)

    assert done.status_code == 302
