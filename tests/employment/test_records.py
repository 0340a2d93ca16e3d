"""The career profile, benefits counselling, jobs and follow-along of a client's IPS period: what is
stored, what the page shows, and who is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from polku.clients.models import TimelineEntry
from polku.employment import selectors, services
from polku.employment.models import BenefitsCounselling, CareerProfile, FollowAlong, Job, WageType
from tests.conftest import client_as
from tests.employment.conftest import EN, days_ago, events, text, today

PROFILE = {
    "work_history": "Kahvila 2015-2018",
    "education": "Kokki",
    "job_fields": ["food", "cleaning"],
    "hours_min": "10",
    "hours_max": "25",
    "municipalities": ["564"],
    "environment": "Rauhallinen",
    "strengths": "Täsmällinen",
    "adjustments": ["gradual_start"],
    "disclosure": "partial",
    "disclosure_note": "Saa kertoa, että tarvitsee rauhallisen aloituksen",
}


def test_the_coach_fills_in_the_career_profile(period, coach):
    url = f"/ips/periods/{period.public_id}/profile/"
    assert client_as(coach).get(url, **EN).status_code == 200
    response = client_as(coach).post(url, PROFILE, **EN)
    assert response.status_code == 302
    profile = CareerProfile.objects.get()
    assert (profile.job_fields, profile.hours_min, profile.hours_max) == (["food", "cleaning"], 10, 25)
    assert profile.disclosure_decided_on == today()
    assert list(profile.municipalities.values_list("code", flat=True)) == ["564"]
    assert events("ips.profile", period.client)
    page = text(client_as(coach).get(f"/ips/periods/{period.public_id}/", **EN))
    assert "Saa kertoa" in page and "10–25" in page


def test_a_bad_profile_changes_nothing(period, coach):
    response = client_as(coach).post(
        f"/ips/periods/{period.public_id}/profile/", {**PROFILE, "hours_min": "30", "hours_max": "20"}, **EN
    )
    assert response.status_code == 400
    assert "cannot be fewer" in text(response)
    assert not CareerProfile.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "manager", "host", "colleague"])
@pytest.mark.parametrize(
    "page", ["", "profile/", "counselling/", "jobs/new/", "follow-along/", "matches/", "phase/"]
)
def test_others_are_refused_every_period_page(request, period, who, page):
    membership = request.getfixturevalue(who)
    response = client_as(membership).get(f"/ips/periods/{period.public_id}/{page}", **EN)
    assert response.status_code == 404
    assert events("permission.refused")


@pytest.mark.parametrize("page", ["profile/", "counselling/", "follow-along/"])
def test_refused_posts_store_nothing(request, period, outsider, page):
    response = client_as(outsider).post(
        f"/ips/periods/{period.public_id}/{page}",
        {**PROFILE, "reason": "start", "offered_on": today().isoformat(), "on": today().isoformat()},
        **EN,
    )
    assert response.status_code == 404
    assert (
        not CareerProfile.objects.exists()
        and not BenefitsCounselling.objects.exists()
        and not FollowAlong.objects.exists()
    )


def test_benefits_counselling_is_recorded(period, coach):
    response = client_as(coach).post(
        f"/ips/periods/{period.public_id}/counselling/",
        {
            "reason": "start",
            "offered_on": days_ago(3).isoformat(),
            "given_on": days_ago(1).isoformat(),
            "given_by": "Kelan neuvoja",
            "questions": "Osa-aikatyön vaikutus etuuksiin",
        },
        **EN,
    )
    assert response.status_code == 302
    record = BenefitsCounselling.objects.get()
    assert (record.given_by, record.questions) == ("Kelan neuvoja", "Osa-aikatyön vaikutus etuuksiin")
    assert events("ips.counselling", period.client)


def test_counselling_given_before_offered_is_refused(period, coach):
    response = client_as(coach).post(
        f"/ips/periods/{period.public_id}/counselling/",
        {
            "reason": "start",
            "offered_on": days_ago(1).isoformat(),
            "given_on": days_ago(3).isoformat(),
            "given_by": "X",
        },
        **EN,
    )
    assert response.status_code == 400 and not BenefitsCounselling.objects.exists()


def start(period, coach, employer, *, days: int, title: str = "Kahvilatyöntekijä") -> Job:
    return services.job_start(
        period=period,
        by=coach,
        employer=employer,
        title=title,
        job_field="food",
        hours_per_week=Decimal(20),
        wage_type=WageType.COMPETITIVE,
        starts_on=days_ago(days),
    )


def test_a_job_start_is_a_timeline_entry_an_audit_event_and_moves_to_working(period, coach, employer):
    response = client_as(coach).post(
        f"/ips/periods/{period.public_id}/jobs/new/",
        {
            "employer": employer.pk,
            "title": "Kahvilatyöntekijä",
            "job_field": "food",
            "hours_per_week": "15",
            "wage_type": "competitive",
            "starts_on": days_ago(10).isoformat(),
        },
        **EN,
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.phase == "working"
    assert TimelineEntry.objects.filter(kind="ips.job_started").count() == 1
    assert events("ips.job_start", period.client)
    held = selectors.jobs_of(period)
    assert [(h.first, h.tenure_days) for h in held] == [(True, 10)]


def test_first_and_later_job_starts_and_tenure(period, coach, employer):
    first = start(period, coach, employer, days=30)
    services.job_end(job=first, by=coach, ends_on=days_ago(20), reason="temporary_ended")
    later = start(period, coach, employer, days=5, title="Tiskaaja")
    held = {h.job.pk: h for h in selectors.jobs_of(period)}
    assert (held[first.pk].first, held[first.pk].tenure_days) == (True, 10)
    assert (held[later.pk].first, held[later.pk].tenure_days) == (False, 5)
    assert TimelineEntry.objects.filter(kind="ips.job_ended").count() == 1
    assert events("ips.job_end", period.client)
    with pytest.raises(ValidationError):
        services.job_end(job=first, by=coach, ends_on=today(), reason="quit")


def test_job_end_page(period, coach, employer, outsider):
    job = start(period, coach, employer, days=30)
    assert (
        client_as(outsider)
        .post(f"/ips/jobs/{job.public_id}/end/", {"ends_on": today().isoformat(), "reason": "quit"}, **EN)
        .status_code
        == 404
    )
    response = client_as(coach).post(
        f"/ips/jobs/{job.public_id}/end/", {"ends_on": today().isoformat(), "reason": "quit"}, **EN
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.ends_on, job.end_reason) == (today(), "quit")


def test_follow_along_with_the_employer_needs_the_disclosure_decision(period, coach, employer):
    start(period, coach, employer, days=30)
    url = f"/ips/periods/{period.public_id}/follow-along/"
    response = client_as(coach).post(
        url, {"on": today().isoformat(), "with_employer": "on", "note": "Esimiehen kanssa"}, **EN
    )
    assert response.status_code == 400 and not FollowAlong.objects.exists()
    services.profile_save(period=period, by=coach, disclosure="full")
    assert (
        client_as(coach).post(url, {"on": today().isoformat(), "with_employer": "on"}, **EN).status_code
        == 302
    )
    assert (
        client_as(coach).post(url, {"on": today().isoformat(), "note": "Asiakkaan kanssa"}, **EN).status_code
        == 302
    )
    assert FollowAlong.objects.count() == 2


def test_closing_needs_a_hand_over(period, coach):
    url = f"/ips/periods/{period.public_id}/phase/"
    assert client_as(coach).post(url, {"phase": "closed", "on": today().isoformat()}, **EN).status_code == 400
    response = client_as(coach).post(
        url, {"phase": "closed", "on": today().isoformat(), "handover": "Työterveyshuolto jatkaa"}, **EN
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.phase, period.closed_on, period.handover) == ("closed", today(), "Työterveyshuolto jatkaa")
    # A closed period is read-only.
    assert client_as(coach).get(f"/ips/periods/{period.public_id}/profile/", **EN).status_code == 404


def test_another_organisation_reads_the_period_only_under_consent_and_never_manages(
    period, worker, outsider, espoo, oulu
):
    from polku.clients import services as client_services

    client_services.add_team_member(case=period.case, member=outsider, by=worker, started_on=days_ago(1))
    browser = client_as(outsider)
    assert browser.get(f"/ips/periods/{period.public_id}/", **EN).status_code == 404
    assert "Not in supported employment." in text(browser.get(f"/clients/{period.client.public_id}/", **EN))
    client_services.record_consent(
        client=period.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työllistymisen tuki",
        valid_from=days_ago(1),
        method="written",
    )
    assert browser.get(f"/ips/periods/{period.public_id}/", **EN).status_code == 200
    for page in ("profile/", "counselling/", "jobs/new/", "phase/"):
        assert browser.get(f"/ips/periods/{period.public_id}/{page}", **EN).status_code == 404


def test_the_insights_selector_lists_starts_and_ends_without_names(period, coach, employer):
    job = start(period, coach, employer, days=30)
    services.job_end(job=job, by=coach, ends_on=days_ago(2), reason="moved")
    start(period, coach, employer, days=1, title="Uusi")
    found = selectors.job_events(organisation_id=period.organisation_id, start=days_ago(40), end=today())
    assert [(e.kind, e.first, e.end_reason) for e in found] == [
        ("start", True, ""),
        ("end", True, "moved"),
        ("start", False, ""),
    ]
    assert not any(hasattr(e, "client_id") for e in found)


@pytest.mark.parametrize("page", ["counselling/", "jobs/new/", "follow-along/", "phase/"])
def test_a_form_page_that_names_the_client_is_an_audited_read(period, coach, page):
    before = len(events("ips.view", period.client))
    response = client_as(coach).get(f"/ips/periods/{period.public_id}/{page}", **EN)
    assert response.status_code == 200 and period.client.full_name in text(response)
    assert len(events("ips.view", period.client)) == before + 1


def test_the_job_end_page_is_an_audited_read(period, coach, employer):
    job = start(period, coach, employer, days=30)
    response = client_as(coach).get(f"/ips/jobs/{job.public_id}/end/", **EN)
    assert response.status_code == 200 and period.client.full_name in text(response)
    assert [e.details.get("page") for e in events("ips.view", period.client)] == ["job_end"]
