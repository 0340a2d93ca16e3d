"""IPS-25 fidelity reviews (bands on both sides of each boundary, comparison, chart) and the unit's
outcome figures (small numbers hidden)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from polku.clients import services as client_services
from polku.employment import figures, services
from polku.employment.models import FidelityBand, FidelityReview, fidelity_band
from tests.conftest import client_as
from tests.employment.conftest import EN, days_ago, enter, events, open_case_for, text, today


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (125, FidelityBand.EXEMPLARY),
        (115, FidelityBand.EXEMPLARY),
        (114, FidelityBand.GOOD),
        (100, FidelityBand.GOOD),
        (99, FidelityBand.FAIR),
        (74, FidelityBand.FAIR),
        (73, FidelityBand.NOT_SUPPORTED),
        (25, FidelityBand.NOT_SUPPORTED),
    ],
)
def test_the_bands(total, band):
    assert fidelity_band(total) == band


@pytest.mark.parametrize("total", [24, 126])
def test_a_total_outside_the_scale_is_an_error(total):
    with pytest.raises(ValueError):
        fidelity_band(total)


def review_post(score: int, on) -> dict[str, str]:
    data = {
        "reviewed_on": on.isoformat(),
        "reviewers": "Arvioija A, Arvioija B",
        "scale_version": "IPS-25 (2019)",
    }
    for n in range(1, 26):
        data[f"item_{n}"] = str(score if n != 1 else 5)
        data[f"evidence_{n}"] = f"Näyttö {n}"
    return data


def test_the_coach_completes_a_review_compared_with_the_previous(coach, manager):
    url = "/ips/fidelity/new/"
    form = client_as(coach).get(url, **EN)
    assert form.status_code == 200 and 'data-testid="measured-17"' in form.content.decode()
    assert client_as(coach).post(url, review_post(3, days_ago(180)), **EN).status_code == 302
    response = client_as(coach).post(url, review_post(4, today()), **EN)
    review = FidelityReview.objects.order_by("-reviewed_on").first()
    assert response["Location"] == f"/ips/fidelity/{review.public_id}/"
    detail = text(client_as(manager).get(f"/ips/fidelity/{review.public_id}/", **EN))
    assert "Total 101 / 125: Good fidelity" in detail
    assert "compared with the review of" in detail
    listing = client_as(manager).get("/ips/fidelity/", **EN).content.decode()
    assert "<svg" in listing and "<polyline" in listing and "77" in listing and "101" in listing


def test_a_review_with_an_item_missing_stores_nothing(coach):
    data = review_post(3, today())
    del data["item_7"]
    assert client_as(coach).post("/ips/fidelity/new/", data, **EN).status_code == 400
    assert not FidelityReview.objects.exists()


@pytest.mark.parametrize("who", ["worker", "host", "outsider"])
def test_fidelity_pages_refuse_others(request, who, coach):
    services.review_record(
        by=coach, reviewed_on=today(), reviewers="X", scores={n: 3 for n in range(1, 26)}, evidence={}
    )
    review = FidelityReview.objects.get()
    membership = request.getfixturevalue(who)
    assert client_as(membership).get(f"/ips/fidelity/{review.public_id}/", **EN).status_code in (403, 404)
    assert client_as(membership).get("/ips/fidelity/new/", **EN).status_code == 403 or who == "outsider"


def test_another_organisations_review_is_a_404(coach, espoo):
    from tests.factories import make_membership, make_unit

    services.review_record(
        by=coach, reviewed_on=today(), reviewers="X", scores={n: 3 for n in range(1, 26)}, evidence={}
    )
    espoo_coach = make_membership(unit=make_unit(organisation=espoo), role="job_coach")
    review = FidelityReview.objects.get()
    assert client_as(espoo_coach).get(f"/ips/fidelity/{review.public_id}/", **EN).status_code == 404
    assert events("permission.refused")


def test_outcomes_hide_small_numbers(worker, coach, employer, manager):
    periods = []
    for n in range(6):
        case = open_case_for(worker, last_name=f"Tulos{n}")
        client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(300))
        periods.append(enter(case, coach, days=200))
    for period in periods[:2]:
        services.job_start(
            period=period,
            by=coach,
            employer=employer,
            title="Työ",
            job_field="food",
            hours_per_week=Decimal(20),
            wage_type="competitive",
            starts_on=today(),
        )
    for period in periods[2:]:
        services.ips_change_phase(period=period, by=coach, phase="job_search")
    found = figures.outcomes(organisation_id=coach.unit.organisation_id)
    assert found.active.value == 6 and found.active.shown
    assert not found.job_starts.shown  # two starts: hidden
    assert not found.competitive_share.shown
    page = text(client_as(manager).get("/ips/unit/", **EN))
    assert "fewer than 5" in page, page
    assert "minimum 31 %" in page


def test_the_competitive_share_against_the_benchmarks(worker, coach, employer):
    periods = []
    for n in range(10):
        case = open_case_for(worker, last_name=f"Osuus{n}")
        client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(300))
        periods.append(enter(case, coach, days=100))
    for period in periods[:5]:
        services.job_start(
            period=period,
            by=coach,
            employer=employer,
            title="Työ",
            job_field="food",
            hours_per_week=Decimal(20),
            wage_type="competitive",
            starts_on=today(),
        )
    for period in periods[5:]:
        services.ips_change_phase(period=period, by=coach, phase="job_search")
    found = figures.outcomes(organisation_id=coach.unit.organisation_id)
    assert (found.competitive_share.value, found.competitive_share.shown) == (50, True)
    assert (found.job_starts.value, found.first_job_starts.value) == (5, 5)
    assert found.median_days_to_first_job.value == 100


def test_measured_figures_for_the_review(period, coach, employer):
    services.employer_contact_record(
        employer=employer,
        by=coach,
        on=period.entered_on + timedelta(days=12),
        face_to_face=True,
        purpose="present",
        job_seekers=[period],
    )
    services.job_start(
        period=period,
        by=coach,
        employer=employer,
        title="Työ",
        job_field="food",
        hours_per_week=Decimal(20),
        wage_type="competitive",
        starts_on=days_ago(20),
    )
    found = figures.measured(organisation_id=coach.unit.organisation_id)
    assert "12 days" in found[15]
    assert found[21].startswith("100 %")
    assert "1 kinds of work in 1 jobs" in found[19]
    assert "1.0 active clients per full-time coach" in found[1]


def test_the_manager_reaches_the_employer_side_from_the_units_page(manager):
    page = client_as(manager).get("/ips/unit/", **EN).content.decode()
    for url in ("/ips/fidelity/", "/ips/employers/", "/ips/openings/"):
        assert f'href="{url}"' in page
        assert client_as(manager).get(url, **EN).status_code == 200
