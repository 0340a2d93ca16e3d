"""The monthly roll-ups give exactly the figures the facts give: every indicator group of the dashboard
computed both ways over many scopes, periods and days, with small numbers protected after summing; and
the roll-ups kept by the refresh (old contributions out, new in) equal a rebuild from scratch after
corrected dates, closings and cases moving organisations."""

import dataclasses
import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils.functional import Promise

from polku.accounts.models import Role
from polku.clients import services as clients
from polku.clients.models import Case, CaseOutcome
from polku.insights import figures, indicators, periods, rollups, services
from polku.insights.disclosure import Cell
from polku.insights.models import CaseFact, MeasureFact, MonthlyFigure, ServiceFact, ServiceKind
from polku.insights.scopes import Scope
from tests.factories import make_case, make_case_after_break_glass, make_membership, make_unit

SOURCES = ["registry_screening", "referral", "self_referral"]
OUTCOMES = [value for value, _label in CaseOutcome.choices][:4]


def seed_facts(organisations, units, n=500):
    """Facts written as the refresh writes them (case ids beyond the real cases'), with odd ones: IPS
    entered before the case was opened, closed on the day it opened, no worker."""
    rng = random.Random(7)
    rows = []
    for index in range(n):
        organisation = rng.choice(organisations)
        unit = rng.choice(units[organisation])
        identified = date(2024, 1, 1) + timedelta(days=rng.randrange(3 * 365))

        def step(after, chance, low, high):
            return after + timedelta(days=rng.randint(low, high)) if after and rng.random() < chance else None

        contact = step(identified, 0.9, 0, 40)
        plan = step(contact, 0.7, 5, 100)
        referral = step(plan, 0.6, 3, 40)
        service = step(referral, 0.7, 5, 60)
        closed = identified if rng.random() < 0.03 else step(identified, 0.5, 20, 500)
        ips = step(identified, 0.25, -30, 60)
        job = step(ips, 0.6, 10, 150)
        job_days = rng.randint(5, 200) if job and rng.random() < 0.6 else None
        reviews = rng.choice([0, 1, 2, 3]) if plan else 0
        rows.append(
            CaseFact(
                case_id=10_000_000 + index,
                organisation_id=organisation,
                unit_id=unit,
                worker_id=rng.choice([None, 1, 2, 3, 4, 5]),
                municipality=rng.choice(["564", "091", "139"]),
                county=rng.choice(["Pohjois-Pohjanmaa", "Helsinki", ""]),
                source=rng.choice(SOURCES),
                age_band="25-34",
                identified_on=identified,
                first_contact_on=contact,
                assessment_on=step(contact, 0.5, 10, 90),
                plan_agreed_on=plan,
                referral_sent_on=referral,
                service_started_on=service,
                ips_entered_on=ips,
                job_started_on=job,
                job_ended_on=job + timedelta(days=job_days) if job and job_days else None,
                first_job_days=job_days,
                competitive_job_on=job if job and rng.random() < 0.7 else None,
                closed_on=closed,
                outcome=rng.choice(OUTCOMES) if closed else "",
                days_to_contact=(contact - identified).days if contact else None,
                days_to_plan=(plan - identified).days if plan else None,
                days_to_service=(service - identified).days if service else None,
                days_to_job=(job - identified).days if job else None,
                gas_goals=rng.randint(1, 4) if plan else 0,
                gas_goals_met=rng.randint(0, 1) if plan else 0,
                gas_reviews=reviews,
                t_score_first=40.0 if reviews and rng.random() < 0.8 else None,
                t_score_latest=40.0 + rng.random() * 15 if reviews else None,
            )
        )
    CaseFact.objects.bulk_create(rows)
    seed_services(rng)


CATEGORIES = ["work", "health", "z-debt"]
# Mixed case and letters beyond ASCII: both ways order the providers as the database does.
PROVIDERS = ["Ääni ry", "aalto palvelut", "Bravo Oy", "työpaja", "Zeta"]
REFERRAL_STATUSES = ["sent", "accepted", "declined", "started", "completed", "did_not_attend", "cancelled"]
TERMINAL = {"completed", "discontinued", "declined", "did_not_attend"}
PLACEMENT_STATUSES = ["planned", "ongoing", "ended", "interrupted"]


def seed_services(rng):
    """Referrals, placements and repeated measures of the seeded facts, as the refresh writes them."""
    services, measures = [], []
    for fact in CaseFact.objects.filter(case_id__gte=10_000_000).order_by("case_id"):
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            status = rng.choice(REFERRAL_STATUSES)
            sent = fact.identified_on + timedelta(days=rng.randint(0, 200))
            services.append(
                ServiceFact(
                    fact=fact,
                    kind=ServiceKind.REFERRAL,
                    category=rng.choice(CATEGORIES),
                    provider=rng.choice(PROVIDERS),
                    status=status,
                    is_terminal=status in TERMINAL,
                    sent_on=sent,
                    days_to_answer=rng.choice([None, rng.randint(0, 30)]),
                    days_to_start=rng.choice([None, rng.randint(2, 90)]),
                )
            )
        for _ in range(rng.choice([0, 0, 1, 2])):
            status = rng.choice(PLACEMENT_STATUSES)
            services.append(
                ServiceFact(
                    fact=fact,
                    kind=ServiceKind.PLACEMENT,
                    placement_kind=rng.choice(["work_trial", "rehabilitative_work"]),
                    status=status,
                    is_terminal=status in ("ended", "interrupted"),
                    sent_on=fact.identified_on + timedelta(days=rng.randint(0, 300)),
                    days_present=rng.randint(0, 60),
                    days_absent=rng.randint(0, 10),
                    has_feedback=rng.random() < 0.4,
                )
            )
        for instrument in ["phq9", "was"]:
            if rng.random() < 0.4:
                measures.append(
                    MeasureFact(
                        fact=fact,
                        instrument=instrument,
                        first_on=fact.identified_on,
                        first_score=rng.randint(0, 27),
                        latest_on=fact.identified_on + timedelta(days=60),
                        latest_score=rng.randint(0, 27),
                        responses=rng.choice([1, 2, 3]),
                    )
                )
    ServiceFact.objects.bulk_create(services)
    MeasureFact.objects.bulk_create(measures)


def plain(value):
    """The figures as comparable primitives (floats to nine digits)."""
    if isinstance(value, Cell):
        return ("cell", value.value, value.state)
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, Promise):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def both_ways(settings, scope, period, today):
    settings.POLKU_INSIGHTS_ROLLUPS = False
    from_facts = plain(figures.compute(scope, period, today))
    settings.POLKU_INSIGHTS_ROLLUPS = True
    from_rollups = plain(figures.compute(scope, period, today))
    return from_facts, from_rollups


def rows():
    return sorted(
        (
            (*(getattr(row, c) for c in rollups.KEY_COLUMNS), row.n, round(row.amount, 6))
            for row in MonthlyFigure.objects.all()
            if row.n or abs(row.amount) > 1e-9
        ),
        key=repr,
    )


def scopes_of(organisations, units):
    found = [Scope("all", "all", Q())]
    for organisation in organisations:
        found.append(Scope("organisation", "o", Q(organisation_id=organisation), organisation))
        for unit in units[organisation]:
            found.append(Scope(f"unit:{unit}", "u", Q(unit_id=unit), organisation))
        for code in ["564", "091"]:
            own = Q(organisation_id=organisation) & Q(municipality=code)
            found.append(Scope(f"municipality:{code}", "m", own, organisation))
    found += [Scope(f"county:{c}", "c", Q(county=c)) for c in ["Pohjois-Pohjanmaa", "Helsinki"]]
    return found


@pytest.mark.parametrize("threshold", [1, 5])
def test_every_indicator_is_the_same_from_the_rollups_and_from_the_facts(
    settings, worker, manager, espoo, threshold
):
    settings.POLKU_INSIGHTS_THRESHOLD = threshold
    theirs = make_unit(organisation=espoo)
    organisations = [worker.unit.organisation_id, espoo.pk]
    units = {organisations[0]: [worker.unit_id], organisations[1]: [theirs.pk]}
    seed_facts(organisations, units)
    rollups.rebuild()
    # Changes through the services, refreshed incrementally: a corrected (earlier) first contact, a
    # closing, a client moving to the other organisation, a case moved to another organisation's unit.
    moving = make_case(by=worker, opened_on=date(2025, 11, 20))
    corrected = make_case(by=worker, opened_on=date(2025, 12, 1))
    transferred = make_case(by=worker, opened_on=date(2025, 3, 3))
    clients.record_contact(
        case=corrected,
        by=worker,
        kind="meeting",
        happened_on=date(2026, 1, 15),
        note="x",
        register="employment",
    )
    services.refresh_changed()
    clients.record_contact(
        case=corrected,
        by=worker,
        kind="meeting",
        happened_on=date(2025, 12, 3),
        note="x",
        register="employment",
    )
    clients.close_case(case=moving, outcome=CaseOutcome.MOVED_AWAY, by=worker, closed_on=date(2026, 2, 1))
    their_worker = make_membership(unit=theirs, role=Role.PERSONAL_WORKER)
    make_case_after_break_glass(by=their_worker, client=moving.client, opened_on=date(2026, 2, 3))
    services.refresh_changed()
    Case.objects.filter(pk=transferred.pk).update(unit=theirs)
    services.refresh([transferred.pk])
    assert CaseFact.objects.get(case=transferred).organisation_id == espoo.pk
    # Seeded facts whose cases are gone: their referrals, placements and measures leave the roll-ups.
    gone = list(
        ServiceFact.objects.filter(fact__case_id__gte=10_000_000)
        .values_list("fact__case_id", flat=True)
        .distinct()
        .order_by("fact__case_id")[:40]
    )
    assert services.refresh(gone) == 0
    assert not ServiceFact.objects.filter(fact__case_id__in=gone).exists()

    kept = rows()
    checked = 0
    for scope in scopes_of(organisations, units):
        for period in [
            periods.month(2025, 12),
            periods.quarter(2026, 1),
            periods.year(2025),
            periods.year(2026),
        ]:
            for today in [date(2026, 5, 17), date(2027, 6, 30)]:
                from_facts, from_rollups = both_ways(settings, scope, period, today)
                assert from_rollups == from_facts, (scope.key, period, today)
                if scope.key == "all" and period.start.year == 2025:
                    # The service and measure groups are there to compare (not empty both ways).
                    assert from_facts["referrals"][0] and from_facts["closed_loop_provider"]
                    assert from_facts["placements"][2][3][1] > 0 and from_facts["measures"]
                    assert [s[1] for s in from_facts["times"][-2:]] != [0, 0]
                checked += 1
    assert checked == 11 * 4 * 2
    # Kept incrementally, the roll-ups equal a rebuild from the facts.
    rollups.rebuild()
    assert rows() == kept


def test_the_dashboard_reads_the_rollups_for_whole_months_and_the_facts_otherwise(settings, worker, manager):
    for n in range(6):
        make_case(by=worker, opened_on=date(2026, 1, 5 + n))
    services.refresh_changed()
    scope = Scope("all", "all", Q())
    assert rollups.covers(scope, periods.month(2026, 1))
    assert not rollups.covers(scope, periods.custom(date(2026, 1, 5), date(2026, 1, 20)))
    assert not rollups.covers(Scope("caseload", "mine", Q(worker_id=worker.pk)), periods.month(2026, 1))
    # The roll-ups are what is read: emptied, the month shows nothing, while the facts still have six.
    MonthlyFigure.objects.all().delete()
    assert indicators.funnel(scope, periods.month(2026, 1))[0].cell.value == 0
    custom = periods.custom(date(2026, 1, 1), date(2026, 1, 30))
    assert indicators.funnel(scope, custom)[0].cell.value == 6
    rollups.rebuild()
    assert indicators.funnel(scope, periods.month(2026, 1))[0].cell.value == 6


def fetched_rows(queries, organisation_id):
    """Run again every read of the roll-up table among these captured queries: how many rows they read
    in all, and how many of them are this organisation's."""
    table = connection.ops.quote_name(MonthlyFigure._meta.db_table)
    total = theirs = 0
    with connection.cursor() as cursor:
        for query in queries:
            if query["sql"].startswith("SELECT") and f"FROM {table}" in query["sql"]:
                cursor.execute(
                    "SELECT COUNT(*), COUNT(CASE WHEN organisation_id = %s THEN 1 END) "
                    f"FROM ({query['sql']}) fetched",
                    [organisation_id],
                )
                rows_read, of_theirs = cursor.fetchone()
                total += rows_read
                theirs += of_theirs
    return total, theirs


def test_a_refresh_reads_and_writes_only_the_rollup_rows_its_facts_change(worker, espoo):
    theirs = make_unit(organisation=espoo)
    organisations = [worker.unit.organisation_id, espoo.pk]
    seed_facts(organisations, {organisations[0]: [worker.unit_id], organisations[1]: [theirs.pk]})
    rollups.rebuild()
    other = {
        row.pk: (*(getattr(row, c) for c in rollups.KEY_COLUMNS), row.n, row.amount)
        for row in MonthlyFigure.objects.filter(organisation_id=espoo.pk)
    }
    assert len(other) > 1000
    case = make_case(by=worker, opened_on=date(2025, 12, 1))
    clients.record_contact(
        case=case, by=worker, kind="meeting", happened_on=date(2025, 12, 4), note="x", register="employment"
    )
    with CaptureQueriesContext(connection) as captured:
        services.refresh_changed()
    assert CaseFact.objects.filter(case=case).exists()
    # The other organisation's rows are neither read nor written: same rows, same primary keys.
    total, of_theirs = fetched_rows(captured.captured_queries, espoo.pk)
    assert of_theirs == 0
    assert 0 < total < 200
    assert {
        row.pk: (*(getattr(row, c) for c in rollups.KEY_COLUMNS), row.n, row.amount)
        for row in MonthlyFigure.objects.filter(organisation_id=espoo.pk)
    } == other
    kept = rows()
    rollups.rebuild()
    assert rows() == kept
