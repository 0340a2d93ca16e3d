"""Job starts (IPS): the employment app's entries and jobs reach the per-case facts, and the IPS outcomes
(job starts, time to the first job, the competitive employment rate, 90-day retention) are counted from
the facts against hand-computed expectations."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import translation

from polku.accounts.models import OrganisationKind, Role
from polku.clients import services as clients
from polku.employment import services as employment
from polku.employment.models import WageType
from polku.insights import figures, indicators, periods, rollups, scopes, services
from polku.insights.models import AgeBand, CaseFact
from tests.factories import make_case, make_membership, make_organisation

YEAR_2026 = periods.year(2026)
TODAY = date(2026, 12, 5)


def test_the_first_job_start_of_a_case_and_its_end_reach_the_facts(worker):
    coach = make_membership(unit=worker.unit, role=Role.JOB_COACH)
    employer = make_organisation(name="Kahvila Testi Oy", kind=OrganisationKind.EMPLOYER)
    case = make_case(by=worker, opened_on=date(2026, 1, 10))
    clients.add_team_member(case=case, member=coach, by=worker, started_on=date(2026, 1, 10))
    services.refresh_changed()
    assert CaseFact.objects.get(case=case).job_started_on is None
    period = employment.ips_enter(case=case, by=coach, on=date(2026, 2, 1))

    def start(on, wage_type):
        return employment.job_start(
            period=period,
            by=coach,
            employer=employer,
            title="Kahvilatyö",
            job_field="office",
            hours_per_week=Decimal("20"),
            wage_type=wage_type,
            starts_on=on,
        )

    first = start(date(2026, 3, 2), WageType.WAGE_SUBSIDISED)
    employment.job_end(job=first, by=coach, ends_on=date(2026, 4, 1), reason="temporary_ended")
    start(date(2026, 5, 4), WageType.COMPETITIVE)
    services.refresh_changed()
    fact = CaseFact.objects.get(case=case)
    assert fact.ips_entered_on == date(2026, 2, 1)
    assert (fact.job_started_on, fact.days_to_job) == (date(2026, 3, 2), 51)
    assert (fact.job_ended_on, fact.first_job_days) == (date(2026, 4, 1), 30)
    assert fact.competitive_job_on == date(2026, 5, 4)


def _fact(manager, n, **values):
    unit = manager.unit
    values = {"identified_on": date(2026, 1, 10), **values}
    return CaseFact(
        case_id=900_000 + n,
        organisation_id=unit.organisation_id,
        unit_id=unit.pk,
        municipality="564",
        source="registry",
        age_band=AgeBand.FROM_25,
        **values,
    )


def ips_facts(manager):
    """Twelve cases of 2026 in IPS from 1 Feb: ten first jobs from 1 Mar (five held 30 days, five still
    held), two from 1 Oct (under 90 days before 5 Dec); six had started competitive work. One more case
    in IPS closed in 2025 is outside the year."""
    facts = []
    for n in range(12):
        started = date(2026, 3, 1) if n < 10 else date(2026, 10, 1)
        facts.append(
            _fact(
                manager,
                n,
                ips_entered_on=date(2026, 2, 1),
                job_started_on=started,
                days_to_job=(started - date(2026, 1, 10)).days,
                first_job_days=30 if n < 5 else None,
                job_ended_on=started + timedelta(days=30) if n < 5 else None,
                competitive_job_on=started if n % 2 == 0 else None,
            )
        )
    facts.append(
        _fact(
            manager,
            99,
            identified_on=date(2025, 1, 10),
            closed_on=date(2025, 12, 1),
            ips_entered_on=date(2025, 2, 1),
            job_started_on=date(2025, 3, 1),
            competitive_job_on=date(2025, 3, 1),
        )
    )
    CaseFact.objects.bulk_create(facts)
    rollups.rebuild()  # written as the refresh writes them: the roll-ups too


def test_the_ips_outcomes_are_counted_from_the_facts(manager):
    ips_facts(manager)
    jobs = indicators.jobs(scopes.chosen(manager, "organisation"), YEAR_2026, TODAY)
    assert jobs["starts"].text == "12"
    assert jobs["in_ips"].text == "12"
    assert jobs["competitive"].text == "6" and jobs["competitive_rate"] == 0.5
    assert jobs["retention_due"].text == "10"
    assert jobs["retained"].text == "5" and jobs["retention_rate"] == 0.5


def test_retention_waits_until_the_job_is_90_days_old(manager):
    ips_facts(manager)
    scope = scopes.chosen(manager, "organisation")
    # On 29 May, only the jobs started on 1 Mar are 89 days old: none is due yet.
    assert indicators.jobs(scope, YEAR_2026, date(2026, 5, 29))["retention_due"].text == "0"
    assert indicators.jobs(scope, YEAR_2026, date(2026, 5, 30))["retention_due"].text == "10"


def test_the_time_to_the_first_job_is_a_median_from_identification(manager):
    ips_facts(manager)
    with translation.override("en"):
        to_job = indicators.times(scopes.chosen(manager, "organisation"), YEAR_2026)[3]
        assert str(to_job.label) == "Identification → first job start"
    # Ten cases 50 days, two 264 days: the median and the 80th percentile (position 8.8) are both 50.
    assert (to_job.n, to_job.median, to_job.p80) == (12, 50, 50)


def test_a_small_complement_hides_the_competitive_count(manager):
    ips_facts(manager)
    CaseFact.objects.filter(case_id__in=[900_001, 900_003, 900_005, 900_007]).update(
        competitive_job_on=date(2026, 3, 1)
    )
    jobs = indicators.jobs(scopes.chosen(manager, "organisation"), YEAR_2026, TODAY)
    # Ten of twelve competitive: the two others are under the threshold, so the ten are hidden too.
    assert jobs["competitive"].text != "10" and jobs["competitive_rate"] is None
    assert jobs["in_ips"].text == "12"


def test_the_jobs_download_carries_the_same_protected_figures(manager):
    ips_facts(manager)
    CaseFact.objects.filter(case_id=900_001).update(competitive_job_on=date(2026, 3, 1))
    rollups.rebuild()
    with translation.override("en"):
        tables = figures.downloads(figures.compute(scopes.chosen(manager, "organisation"), YEAR_2026, TODAY))
    rows = {str(row[0]): row[1:] for row in tables["jobs"].rows}
    assert rows["First job starts in the period"] == ["12", ""]
    # Seven of twelve competitive, five not: both shown, 58.3 %.
    assert rows["Competitive employment"] == ["7", 58.3]
    assert rows["Held 90 days or more"] == ["5", 50.0]


def test_the_one_scan_gives_the_same_figures_as_each_group_alone(manager):
    ips_facts(manager)
    CaseFact.objects.filter(case_id__in=[900_000, 900_002, 900_004, 900_006, 900_008, 900_010]).update(
        closed_on=date(2026, 6, 30), outcome="studies", gas_goals=3, gas_goals_met=2, gas_reviews=2
    )
    rollups.rebuild()
    scope = scopes.chosen(manager, "organisation")
    for period in (YEAR_2026, periods.quarter(2026, 3), periods.month(2026, 6)):
        found = indicators.scan(scope, period, TODAY)
        assert indicators.activity(scope, period, found) == indicators.activity(scope, period)
        assert indicators.outcomes(scope, period, found) == indicators.outcomes(scope, period)
        assert indicators.gas(scope, period, found) == indicators.gas(scope, period)
        assert indicators.jobs(scope, period, TODAY, found) == indicators.jobs(scope, period, TODAY)
    assert indicators.outcomes(scope, YEAR_2026)[1].text == "6"
    assert indicators.jobs(scope, periods.quarter(2026, 3), TODAY)["in_ips"].text == "6"
