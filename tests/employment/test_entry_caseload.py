"""Entry into IPS from the case, the coach's caseload (their home page) with its flags and the limit
of 20 active clients per full-time coach, and the refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.clients import services as client_services
from polku.clients.models import TimelineEntry
from polku.employment import selectors, services
from polku.employment.models import ContactPurpose, IpsPeriod, Phase, PhaseChange, WageType
from tests.conftest import client_as
from tests.employment.conftest import EN, days_ago, enter, events, open_case_for, text, today


def post_enter(membership, case, **data):
    payload = {"coach": membership.pk, "on": today().isoformat(), "wish": "Haluan töihin kahvilaan"}
    payload.update(data)
    return client_as(membership).post(f"/cases/{case.public_id}/ips/enter/", payload, **EN)


def test_the_coach_takes_the_client_into_ips_by_their_wish(case, coach):
    page = client_as(coach).get(f"/clients/{case.client.public_id}/", **EN)
    assert "Supported employment" in text(page)
    assert client_as(coach).get(f"/cases/{case.public_id}/ips/enter/", **EN).status_code == 200

    response = post_enter(coach, case)

    period = IpsPeriod.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ips/periods/{period.public_id}/"
    assert (period.phase, period.coach, period.wish) == (Phase.ENGAGEMENT, coach, "Haluan töihin kahvilaan")
    assert list(PhaseChange.objects.values_list("phase", flat=True)) == ["engagement"]
    assert TimelineEntry.objects.filter(kind="ips.entered", client=case.client).exists()
    assert len(events("ips.enter", case.client)) == 1
    detail = client_as(coach).get(f"/ips/periods/{period.public_id}/", **EN)
    assert detail.status_code == 200 and "Engagement" in text(detail)


def test_the_personal_worker_names_the_coach_who_joins_the_team(worker, other_coach):
    case = open_case_for(worker)
    response = post_enter(worker, case, coach=other_coach.pk)
    assert response.status_code == 302
    period = IpsPeriod.objects.get()
    assert period.coach == other_coach
    assert case.team.filter(membership=other_coach, ended_on__isnull=True).exists()


def test_a_second_entry_is_refused_and_nothing_is_stored(case, coach):
    enter(case, coach)
    response = post_enter(coach, case)
    # The action is no longer offered and a forced POST changes nothing.
    assert response.status_code == 400
    assert IpsPeriod.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "manager"])
def test_the_wrong_organisation_or_role_cannot_enter(request, case, who):
    membership = request.getfixturevalue(who)
    response = post_enter(membership, case)
    assert response.status_code == 404
    assert IpsPeriod.objects.count() == 0
    assert events("permission.refused")


def test_the_coach_starts_from_the_ips_caseload(coach, worker):
    assert client_as(coach).get("/", **EN)["Location"] == "/ips/"
    assert client_as(worker).get("/", **EN)["Location"] == "/caseload/"


def test_the_caseload_shows_phase_and_active_load(case, coach):
    enter(case, coach)
    response = client_as(coach).get("/ips/", **EN)
    assert response.status_code == 200
    page = text(response)
    assert "Aino Asiakas" in page and "Engagement" in page
    assert "Active caseload 0 / 20" in page
    assert events("ips.caseload")


@pytest.mark.parametrize("who", ["worker", "manager", "outsider"])
def test_only_a_job_coach_has_an_ips_caseload(request, who):
    membership = request.getfixturevalue(who)
    assert client_as(membership).get("/ips/", **EN).status_code == 403


def flags(coach):
    """The flags of the coach's caseload, by client; checked against the personal worker's caseload
    flag (`selectors.flagged_cases`, the same rules written as SQL): a case is flagged there exactly
    when its period has a flag here."""
    periods = list(selectors.caseload(viewer=coach))
    found = {
        period.client.last_name: {
            name
            for name in ("no_employer_contact", "no_follow_along", "no_benefits_counselling")
            if getattr(period, name)
        }
        for period in periods
    }
    flagged = selectors.flagged_cases(coach, [period.case for period in periods])
    assert flagged == {period.case_id for period in periods if found[period.client.last_name]}
    return found


def test_rapid_job_search_flag_after_30_days_without_an_employer_contact(worker, coach, employer):
    for last_name, days in (("Kolmekymmentä", 30), ("Yhdeksänkolmatta", 29), ("Yhteys", 45)):
        case = open_case_for(worker, last_name=last_name)
        client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(100))
        period = enter(case, coach, days=days)
        if last_name == "Yhteys":
            services.employer_contact_record(
                employer=employer,
                by=coach,
                on=today(),
                face_to_face=True,
                purpose=ContactPurpose.PRESENT,
                job_seekers=[period],
            )
    assert flags(coach) == {
        "Kolmekymmentä": {"no_employer_contact"},
        "Yhdeksänkolmatta": set(),
        "Yhteys": set(),
    }


def test_follow_along_and_benefits_counselling_flags(case, coach, employer):
    period = enter(case, coach, days=100)
    services.counselling_record(period=period, by=coach, reason="start", offered_on=days_ago(61))
    services.job_start(
        period=period,
        by=coach,
        employer=employer,
        title="Kahvilatyöntekijä",
        job_field="food",
        hours_per_week=Decimal(20),
        wage_type=WageType.COMPETITIVE,
        starts_on=days_ago(60),
    )
    assert flags(coach)["Asiakas"] == {"no_follow_along"}
    services.follow_along_record(period=period, by=coach, on=days_ago(29))
    assert flags(coach)["Asiakas"] == set()
    # A later job started without counselling offered before it.
    services.job_start(
        period=period,
        by=coach,
        employer=employer,
        title="Tiskaaja",
        job_field="food",
        hours_per_week=Decimal(10),
        wage_type=WageType.COMPETITIVE,
        starts_on=days_ago(59),
    )
    assert flags(coach)["Asiakas"] == set()  # counselling offered 61 days ago covers it too
    services.counselling_record(period=period, by=coach, reason="change", offered_on=days_ago(5))
    other = open_case_for(case.personal_worker, last_name="Ilman")
    client_services.add_team_member(
        case=other, member=coach, by=case.personal_worker, started_on=days_ago(100)
    )
    later = enter(other, coach, days=20)
    services.job_start(
        period=later,
        by=coach,
        employer=employer,
        title="Siivooja",
        job_field="cleaning",
        hours_per_week=Decimal(15),
        wage_type=WageType.COMPETITIVE,
        starts_on=days_ago(3),
    )
    assert flags(coach)["Ilman"] == {"no_benefits_counselling"}


def test_over_the_limit_warns_the_coach_and_the_manager(worker, coach, manager):
    services.coach_set_fte(coach=coach, fte=Decimal("0.5"), by=coach)
    for n in range(11):
        case = open_case_for(worker, last_name=f"Haku{n}")
        client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(100))
        period = enter(case, coach, days=5)
        services.ips_change_phase(period=period, by=coach, phase=Phase.JOB_SEARCH)
    assert selectors.load_of(coach).active == 11 and selectors.load_of(coach).limit == 10
    coach_page = client_as(coach).get("/ips/", **EN)
    assert 'data-testid="over-limit"' in coach_page.content.decode()
    unit_page = client_as(manager).get("/ips/unit/", **EN)
    assert unit_page.status_code == 200 and 'data-testid="over-limit"' in unit_page.content.decode()
    # The manager sees counts, never a client.
    assert "Haku0" not in text(unit_page)


def test_at_the_limit_no_warning(worker, coach):
    for n in range(20):
        case = open_case_for(worker, last_name=f"Raja{n}")
        client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(100))
        services.ips_change_phase(period=enter(case, coach), by=coach, phase=Phase.JOB_SEARCH)
    assert not selectors.load_of(coach).over
    assert 'data-testid="over-limit"' not in client_as(coach).get("/ips/", **EN).content.decode()


def caseload_queries(coach) -> int:
    browser = client_as(coach)
    browser.get("/ips/", **EN)  # session and translations warm
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/ips/", **EN).status_code == 200
    return len(queries)


def test_the_caseload_runs_the_same_queries_for_one_and_many_clients(worker, coach):
    def add(n):
        case = open_case_for(worker, last_name=f"Määrä{n}")
        client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(100))
        enter(case, coach, days=40)

    add(0)
    one = caseload_queries(coach)
    for n in range(1, 8):
        add(n)
    assert caseload_queries(coach) == one


def test_removed_from_the_team_the_coach_no_longer_sees_the_client(case, coach, worker):
    period = enter(case, coach)
    membership = case.team.get(membership=coach)
    client_services.end_team_membership(period=membership, by=worker)
    assert "Aino" not in text(client_as(coach).get("/ips/", **EN))
    assert client_as(coach).get(f"/ips/periods/{period.public_id}/", **EN).status_code == 404


def test_the_coach_or_the_manager_records_the_share_of_full_time(coach, other_coach, manager, outsider):
    url = f"/ips/coaches/{coach.public_id}/fte/"
    assert client_as(coach).post(url, {"fte": "0.6"}, **EN).status_code == 302
    assert selectors.load_of(coach).limit == 12
    assert client_as(manager).post(url, {"fte": "0.8"}, **EN).status_code == 302
    assert selectors.fte_of(coach) == Decimal("0.80")
    for other in (other_coach, outsider):
        assert client_as(other).post(url, {"fte": "0.1"}, **EN).status_code == 404
    assert client_as(coach).post(url, {"fte": "1.5"}, **EN).status_code == 400
    assert selectors.fte_of(coach) == Decimal("0.80")
