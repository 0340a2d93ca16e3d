"""Who may open and post to the assessment pages. Staff off the case team (another organisation, a
colleague of the same unit, the manager, a job coach) never learn the assessment exists (404, audited);
team members who may not do an action get 403 (audited); nobody contributes outside their domain or to
an assessment of a case they are not on; and a refused request changes nothing."""

from __future__ import annotations

import pytest

from polku.assessments.models import Assessment, AssessmentInvitation, AssessmentMeeting, Finding
from polku.audit.models import AuditEvent
from polku.audit.services import record_pending
from tests.conftest import client_as

from .conftest import EN, assessment_services, days_ago, finding, today


def urls(assessment) -> dict[str, str]:
    a = assessment.public_id
    return {
        "detail": f"/assessments/{a}/",
        "invite": f"/assessments/{a}/invite/",
        "finding": f"/assessments/{a}/findings/new/",
        "meeting": f"/assessments/{a}/meeting/",
        "conclude": f"/assessments/{a}/conclude/",
        "pdf": f"/assessments/{a}/summary.pdf",
    }


def valid_posts(assessment, team_colleague) -> dict[str, dict[str, object]]:
    return {
        "invite": {"member": team_colleague.pk, "domain": "somatic"},
        "finding": {"domain": "social", "text": "Asuu yksin."},
        "meeting": {
            "held_on": today().isoformat(),
            "participants": "Asiakas",
            "client_view": "Haluan töihin.",
        },
        "conclude": {
            "conclusion": "studies",
            "summary": "Yhteenveto",
            "concluded_on": today().isoformat(),
            "confirm": "on",
        },
    }


def stored() -> tuple[int, ...]:
    return (
        Finding.objects.count(),
        AssessmentMeeting.objects.count(),
        AssessmentInvitation.objects.count(),
        Assessment.objects.filter(concluded_at__isnull=False).count(),
    )


def refusals(membership) -> int:
    return AuditEvent.objects.filter(action="permission.refused", membership=membership).count()


@pytest.fixture(params=["outsider", "unit_worker", "manager", "job_coach", "psychologist"])
def stranger(request):
    """Staff off the case team: another organisation, the same unit, another role, the same organisation."""
    return request.getfixturevalue(request.param)


def test_the_personal_worker_opens_every_page(assessment, worker):
    for name, url in urls(assessment).items():
        assert client_as(worker).get(url, **EN).status_code == 200, name


def test_staff_off_the_team_get_404_for_every_page_and_each_refusal_is_audited(assessment, stranger):
    browser = client_as(stranger)
    for name, url in urls(assessment).items():
        response = browser.get(url, **EN)
        assert response.status_code == 404, name
        assert "Asiakas" not in response.content.decode()
    assert refusals(stranger) == len(urls(assessment))
    event = AuditEvent.objects.filter(action="permission.refused", membership=stranger).first()
    assert event.client_id == assessment.client.public_id


def test_staff_off_the_team_cannot_post_and_nothing_changes(assessment, stranger, team_colleague):
    before = stored()
    for name, body in valid_posts(assessment, team_colleague).items():
        assert client_as(stranger).post(urls(assessment)[name], body, **EN).status_code == 404, name
    assert stored() == before


def test_nobody_starts_an_assessment_in_a_case_they_do_not_manage(case, stranger, team_colleague):
    url = f"/assessments/start/{case.public_id}/"
    body = {"kind": "comprehensive", "started_on": today().isoformat()}
    assert client_as(stranger).post(url, body, **EN).status_code == 404
    # The nurse on the team knows of the case but does not manage it.
    assert client_as(team_colleague).post(url, body, **EN).status_code == 403
    assert not Assessment.objects.exists()
    assert refusals(team_colleague) == 1


def test_a_team_member_other_than_the_personal_worker_may_not_invite_meet_or_conclude(
    assessment, team_colleague
):
    before = stored()
    browser = client_as(team_colleague)
    for name, body in valid_posts(assessment, team_colleague).items():
        if name == "finding":
            continue
        assert browser.get(urls(assessment)[name], **EN).status_code == 403, name
        assert browser.post(urls(assessment)[name], body, **EN).status_code == 403, name
    assert stored() == before
    assert refusals(team_colleague) == 6


def test_a_team_member_not_invited_may_not_contribute(assessment, worker, psychologist):
    from polku.clients import services as client_services

    client_services.add_team_member(
        case=assessment.case, member=psychologist, by=worker, started_on=days_ago(1)
    )
    body = {"domain": "psychological", "text": "Mieliala matala."}

    response = client_as(psychologist).post(urls(assessment)["finding"], body, **EN)

    assert response.status_code == 403
    assert not Finding.objects.exists()
    assert refusals(psychologist) == 1


def test_contributing_outside_ones_domain_is_refused_and_audited(assessment, team_colleague):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied) as refused:
        finding(assessment, team_colleague, domain="psychological", text="Mieliala matala.")
    record_pending(refused.value)  # as the request middleware does once the transaction has unwound
    assert not Finding.objects.exists()
    event = AuditEvent.objects.get(action="permission.refused", membership=team_colleague)
    assert event.details == {"action": "finding.record"}
    assert event.client_id == assessment.client.public_id


def test_the_form_offers_only_ones_own_domain_and_a_posted_other_domain_changes_nothing(
    assessment, team_colleague
):
    browser = client_as(team_colleague)
    page = browser.get(urls(assessment)["finding"], **EN).content.decode()
    assert 'value="somatic"' in page
    assert 'value="psychological"' not in page

    response = browser.post(urls(assessment)["finding"], {"domain": "psychological", "text": "X"}, **EN)

    assert response.status_code == 400
    assert not Finding.objects.exists()


def test_contributing_to_the_assessment_of_another_case_is_refused(
    assessment, worker, team_colleague, other_case
):
    other = assessment_services.start_assessment(case=other_case, by=worker, kind="focused")

    response = client_as(team_colleague).post(
        urls(other)["finding"], {"domain": "somatic", "text": "Selkä kipeä."}, **EN
    )

    assert response.status_code == 404
    assert not Finding.objects.exists()
    from django.http import Http404

    with pytest.raises(Http404) as refused:
        finding(other, team_colleague)
    record_pending(refused.value)
    assert refusals(team_colleague) == 2


def test_anonymous_requests_are_sent_to_log_in(assessment, client):
    response = client.get(urls(assessment)["detail"])

    assert response.status_code == 302
    assert "/login/" in response["Location"] or "login" in response["Location"]
