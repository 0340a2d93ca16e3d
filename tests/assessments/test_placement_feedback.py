"""A placement host's submitted feedback attached to an assessment finding (issue 6): offered to and
attached by a contributor who may read the placement, shown with the finding (ratings, recommendation,
a link to the placement) and in the summary PDF, refused to those who may not read it, and locked with
the concluded assessment."""

from __future__ import annotations

import pytest
from django.http import Http404

from polku.assessments import services as assessment_services
from polku.assessments.locking import AssessmentLocked
from polku.assessments.models import Finding, FindingFeedback
from polku.audit.services import PENDING_ATTRIBUTE
from polku.clients import services as client_services
from polku.placements import services as placement_services
from tests.conftest import client_as
from tests.factories import make_placement

from .conftest import EN, conclude, days_ago, finding, meeting
from .test_pdf import download

RATINGS = {"attendance": 4, "instructions": 4, "pace": 3, "quality": 4, "cooperation": 5}


@pytest.fixture
def feedback(case, worker):
    """Mid-term feedback on the client's work trial (a record of Oulu's employment services)."""
    placement = make_placement(case=case, by=worker)
    sent = placement_services.send_feedback_request(
        placement=placement,
        by=worker,
        stage="mid_term",
        email="pekka@kahvila.example",
        build_url=lambda token: "",
        deliver=False,
    )
    return placement_services.submit_feedback(
        request=sent.request,
        ratings=RATINGS,
        recommendation="more_demanding",
        recommendation_note="Viiden tunnin päivät",
        given_by="Pekka Ohjaaja",
    )


def finding_url(assessment) -> str:
    return f"/assessments/{assessment.public_id}/findings/new/"


def test_the_worker_attaches_the_hosts_feedback_to_a_vocational_finding(assessment, worker, feedback):
    form = client_as(worker).get(finding_url(assessment), **EN).content.decode()
    assert "Feedback from work placement hosts to attach" in form
    assert "Mid-term feedback" in form and "Kahvila Esimerkki Oy" in form

    response = client_as(worker).post(
        finding_url(assessment),
        {
            "domain": "vocational",
            "text": "Työkokeilu sujuu.",
            "placement_feedback": [str(feedback.public_id)],
        },
        **EN,
    )
    assert response.status_code == 302
    stored = Finding.objects.get(domain="vocational")
    assert list(stored.placement_feedback.all()) == [feedback]

    page = client_as(worker).get(f"/assessments/{assessment.public_id}/", **EN).content.decode()
    assert "average 4,0 of 5 (5 of 8 aspects rated)" in page
    assert "Continue with more demanding tasks or longer days" in page
    assert f"/placements/{feedback.placement.public_id}/" in page


def test_the_attached_feedback_is_in_the_summary_pdf(assessment, worker, feedback):
    finding(assessment, worker, domain="vocational", text="Työkokeilu sujuu.", placement_feedback=[feedback])
    meeting(assessment, worker)
    concluded = conclude(assessment, worker)
    pdf = download(worker, concluded)
    assert "Kahvila Esimerkki Oy" in pdf
    assert "Viiden tunnin päivät" in pdf


def test_someone_who_may_not_read_the_placement_is_refused(assessment, worker, case, outsider, feedback):
    """Espoo's worker on the team, invited for the vocational domain, without the client's consent for
    Oulu's employment records: not offered, refused and audited, nothing stored."""
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(5))
    assessment_services.invite_to_assessment(
        assessment=assessment, member=outsider, domain="vocational", by=worker
    )
    form = client_as(outsider).get(finding_url(assessment), **EN).content.decode()
    assert "Kahvila Esimerkki Oy" not in form

    response = client_as(outsider).post(
        finding_url(assessment),
        {"domain": "vocational", "text": "Havainto", "placement_feedback": [str(feedback.public_id)]},
        **EN,
    )
    assert response.status_code == 302  # the form offers nothing to attach: the finding alone is stored
    assert not FindingFeedback.objects.exists()
    with pytest.raises(Http404) as refused:
        finding(assessment, outsider, domain="vocational", text="Toinen", placement_feedback=[feedback])
    assert list(Finding.objects.filter(domain="vocational").values_list("text", flat=True)) == ["Havainto"]
    assert not FindingFeedback.objects.exists()
    # The refusal is audited once the request's transaction has unwound (audit.record_despite_rollback).
    assert getattr(refused.value, PENDING_ATTRIBUTE)["details"] == {"action": "placement.view"}


def test_feedback_a_reader_of_the_finding_may_not_read_is_left_out(
    assessment, worker, case, outsider, oulu, espoo, feedback
):
    """Oulu discloses its social welfare records to Espoo but not its employment records: Espoo reads
    the social finding, not the work trial's feedback attached to it."""
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(5))
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_social=True,
        purpose="Kuntoutus",
        valid_from=days_ago(5),
        method="written",
    )
    finding(assessment, worker, domain="social", text="Arki sujuu.", placement_feedback=[feedback])
    page = client_as(outsider).get(f"/assessments/{assessment.public_id}/", **EN).content.decode()
    assert "Arki sujuu." in page
    assert "Kahvila Esimerkki Oy" not in page
    assert "aspects rated" not in page


def test_feedback_of_another_client_is_refused(assessment, worker, feedback):
    from tests.clients.conftest import open_case_for

    other = open_case_for(worker, first_names="Bertta", last_name="Toinen")
    other_feedback = feedback.__class__.objects.get(pk=feedback.pk)
    other_feedback.placement.client_id = other.client_id
    with pytest.raises(Exception, match="this client's placements only"):
        finding(assessment, worker, domain="vocational", placement_feedback=[other_feedback])
    assert not FindingFeedback.objects.exists()


def test_the_attachment_is_locked_with_the_concluded_assessment(assessment, worker, feedback):
    attached = finding(assessment, worker, domain="vocational", text="Sujuu.", placement_feedback=[feedback])
    meeting(assessment, worker)
    conclude(assessment, worker)
    with pytest.raises(AssessmentLocked):
        FindingFeedback(finding=attached, feedback=feedback).save()
    with pytest.raises(AssessmentLocked):
        FindingFeedback.objects.get().delete()
    with pytest.raises(AssessmentLocked):
        finding(assessment, worker, domain="vocational", placement_feedback=[feedback])
    assert FindingFeedback.objects.count() == 1
