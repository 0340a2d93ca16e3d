"""The per-case facts: computed from what the services store, kept current from the audit log, and
the indicators read from them against hand-computed expectations."""

from datetime import date

from django.core.management import call_command

from polku.accounts.models import Role
from polku.clients import services as clients
from polku.clients.models import Case, CaseOutcome
from polku.insights import indicators, periods, scopes, services
from polku.insights.models import CaseFact
from tests.factories import (
    make_case,
    make_case_after_break_glass,
    make_membership,
    make_unit,
    synthetic_identity_code,
)


def record_contact(case, on, by):
    return clients.record_contact(
        case=case, by=by, kind="meeting", happened_on=on, note="Tapaaminen", register="employment"
    )


def organisation_scope(manager):
    return scopes.chosen(manager, "organisation")


def test_a_contact_recorded_through_the_service_reaches_the_facts_at_the_next_refresh(worker):
    case = make_case(by=worker, opened_on=date(2026, 2, 1))
    services.refresh_changed()
    assert CaseFact.objects.get(case=case).first_contact_on is None
    record_contact(case, date(2026, 2, 11), worker)
    assert services.refresh_changed() == 1
    fact = CaseFact.objects.get(case=case)
    assert (fact.first_contact_on, fact.days_to_contact) == (date(2026, 2, 11), 10)


def test_only_the_cases_of_clients_changed_since_the_last_run_are_refreshed(worker):
    first, second = make_case(by=worker), make_case(by=worker)
    assert services.refresh_changed() == 2
    assert services.refresh_changed() == 2  # the events of the last minutes are read again (LAG)
    from polku.insights.models import Watermark

    Watermark.objects.update(ran_at=None)
    assert services.refresh_changed() == 0
    record_contact(second, date(2026, 1, 20), worker)
    Watermark.objects.update(ran_at=None)
    assert services.refresh_changed() == 1
    assert first.pk != second.pk


def test_a_corrected_earlier_date_changes_the_past_figures(worker, manager):
    case = make_case(by=worker, opened_on=date(2025, 12, 1))
    record_contact(case, date(2026, 1, 15), worker)
    services.refresh_changed()
    december = periods.month(2025, 12)
    scope = organisation_scope(manager)
    assert indicators.funnel(scope, december)[1].cell.value == 1
    assert indicators.activity(scope, december)[0].cell.value == 1
    # The worker records, late, the first call made in December: the December figures change.
    record_contact(case, date(2025, 12, 3), worker)
    services.refresh_changed()
    fact = CaseFact.objects.get(case=case)
    assert (fact.first_contact_on, fact.days_to_contact) == (date(2025, 12, 3), 2)


def test_a_case_opened_before_the_period_is_in_its_own_periods_cohort_only(worker, manager):
    make_case(by=worker, opened_on=date(2025, 12, 31))
    services.refresh_all()
    scope = organisation_scope(manager)
    assert indicators.funnel(scope, periods.year(2025))[0].cell.value == 1
    assert indicators.funnel(scope, periods.year(2026))[0].cell.value == 0


def test_an_empty_period_shows_zeros_and_no_rates_or_times(manager):
    scope = organisation_scope(manager)
    period = periods.quarter(2024, 2)
    assert [row.cell.text for row in indicators.funnel(scope, period)] == ["0"] * 8
    assert all(row.share is None for row in indicators.funnel(scope, period))
    assert all(stat.median is None for stat in indicators.times(scope, period))


def test_times_are_the_median_and_80th_percentile_of_days(manager, cases):
    # The conftest's five contacts came 5, 6, 7, 8 and 9 days after their cases were opened.
    stats = indicators.times(organisation_scope(manager), periods.year(2026))
    contact = stats[0]
    assert (contact.n, contact.median, contact.p80) == (5, 7, 8.2)
    assert stats[1].median is None  # no plans agreed


def test_closing_outcomes_count_cases_closed_in_the_period(worker, manager):
    opened = [make_case(by=worker, opened_on=date(2026, 1, 2)) for _ in range(6)]
    for case in opened:
        clients.close_case(case=case, outcome=CaseOutcome.STUDIES, by=worker, closed_on=date(2026, 3, 1))
    services.refresh_changed()
    rows, total = indicators.outcomes(organisation_scope(manager), periods.quarter(2026, 1))
    by_key = {row.key: row for row in rows}
    assert by_key[CaseOutcome.STUDIES].cell.text == "6" and by_key[CaseOutcome.STUDIES].share == 1.0
    assert total.text == "6"


def test_a_client_moving_to_another_organisation_counts_once_in_each(worker, manager, espoo):
    code = synthetic_identity_code()
    case = make_case(by=worker, opened_on=date(2026, 1, 10), identity_code=code)
    clients.close_case(case=case, outcome=CaseOutcome.MOVED_AWAY, by=worker, closed_on=date(2026, 2, 1))
    their_worker = make_membership(unit=make_unit(organisation=espoo), role=Role.PERSONAL_WORKER)
    make_case_after_break_glass(by=their_worker, client=case.client, opened_on=date(2026, 2, 3))
    services.refresh_changed()
    theirs = make_membership(unit=their_worker.unit, role=Role.MANAGER)
    year = periods.year(2026)
    assert indicators.funnel(organisation_scope(manager), year)[0].cell.value == 1
    assert indicators.funnel(scopes.chosen(theirs, "organisation"), year)[0].cell.value == 1
    assert indicators.funnel(scopes.chosen(theirs, "all"), year)[0].cell.value == 2
    assert Case.objects.filter(client=case.client).count() == 2


def test_the_caseload_buckets_count_workers_by_their_open_cases(worker, manager):
    for _ in range(12):
        make_case(by=worker, opened_on=date(2026, 1, 5))
    services.refresh_all()
    rows, total = indicators.caseload(organisation_scope(manager), periods.year(2026))
    assert [row.cell.value for row in rows] == [0, 1, 0, 0]
    assert rows[1].cell.text == "< 5"
    # The total is small too, and a zero is hidden beside it, so the bucket of the lone worker is not told.
    assert total.text == "< 5"
    assert [row.cell.text for row in rows] == ["×", "< 5", "0", "0"]


def test_the_command_rebuilds_every_case(worker, capsys):
    make_case(by=worker)
    call_command("refresh_insights", "--all")
    assert "1 cases" in capsys.readouterr().out
    assert CaseFact.objects.count() == 1
