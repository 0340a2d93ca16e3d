"""Knowledge-based management at scale on PostgreSQL (bench/README.md, "Knowledge-based management").

    .venv/bin/python bench/insights.py                 # 1,000,000 cases over five years
    .venv/bin/python bench/insights.py --cases 100000  # fewer

1. Seeds the per-case facts (`insights_casefact`) of N cases over five whole years (2021-2025) across 20
   municipalities, 40 organisations (two per municipality, three units each) and about 2,000 personal
   workers (each in one unit) with `COPY`, as `insights.services.refresh` would write them (the facts
   table has no foreign key constraints, so no base rows are needed), then ANALYZE; then rebuilds the
   monthly roll-ups from them (`insights.rollups.rebuild`, what `refresh_insights --all` runs).
2. Times the dashboard's figures (`insights.figures.compute`: every indicator group, protected) for one
   municipality (an organisation's clients living in Oulu, the scope a manager chooses) and one year,
   and for the whole country and five years, 15 runs each after a warm-up, and the same numbers from
   hand-written SQL over the facts table in the same run; prints p50/p95 and the ratio. `--profile`
   first prints each indicator group alone as the page runs it (from the roll-ups where they answer).

The database is `polku_insightsbench` (BENCH_INSIGHTS_DATABASE_URL to change it), created and migrated
when missing. Run one benchmark at a time: the machine's two cores are shared.
"""

# ruff: noqa: S603, S311, E501 - fixed commands from this checkout; synthetic data; long SQL lines

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import BENCH_ENV as HTTP_BENCH_ENV  # a sibling script, found through sys.path

REPO = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_INSIGHTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_insightsbench"
)
BENCH_ENV = {**HTTP_BENCH_ENV, "DATABASE_URL": DATABASE_URL}
MUNICIPALITIES = [
    "564",
    "091",
    "049",
    "837",
    "698",
    "320",
    "179",
    "297",
    "092",
    "853",
    "405",
    "167",
    "609",
    "743",
    "398",
    "286",
    "109",
    "434",
    "139",
    "425",
]
SOURCES = ["registry_screening", "referral", "self_referral", "kela", "employment_services"]
OUTCOMES = [
    "open_market_full_time",
    "open_market_part_time",
    "wage_subsidy",
    "studies",
    "rehabilitation",
    "disability_benefit",
    "other_services",
    "contact_lost",
]
AGES = ["-24", "25-34", "35-44", "45-54", "55-"]
START = date(2021, 1, 1)
END = date(2025, 12, 31)
DAYS = (END - START).days + 1  # five whole years
RUNS = 15


def setup_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "python"), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env={**os.environ, **BENCH_ENV},
        check=True,
    )


def seed(cases: int) -> float:
    import psycopg

    rng = random.Random(22)
    columns = [
        "case_id",
        "organisation_id",
        "unit_id",
        "worker_id",
        "municipality",
        "county",
        "source",
        "age_band",
        "identified_on",
        "first_contact_on",
        "assessment_on",
        "plan_agreed_on",
        "referral_sent_on",
        "service_started_on",
        "ips_entered_on",
        "job_started_on",
        "job_ended_on",
        "first_job_days",
        "competitive_job_on",
        "closed_on",
        "outcome",
        "days_to_contact",
        "days_to_plan",
        "days_to_service",
        "days_to_job",
        "gas_goals",
        "gas_goals_met",
        "gas_reviews",
        "t_score_first",
        "t_score_latest",
        "refreshed_at",
    ]
    started = time.perf_counter()
    with psycopg.connect(DATABASE_URL) as connection:
        connection.execute("TRUNCATE insights_casefact CASCADE")
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY insights_casefact ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for n in range(cases):
                municipality = rng.randrange(len(MUNICIPALITIES))
                organisation = 1 + municipality * 2 + rng.randrange(2)
                unit = organisation * 3 + rng.randrange(3)
                identified = START + timedelta(days=rng.randrange(DAYS))

                def step(after: date | None, chance: float, low: int, high: int) -> date | None:
                    return (
                        after + timedelta(days=rng.randint(low, high))
                        if after and rng.random() < chance
                        else None
                    )

                contact = step(identified, 0.9, 1, 40)
                assessment = step(contact, 0.5, 10, 90)
                plan = step(contact, 0.7, 10, 100)
                referral = step(plan, 0.6, 3, 40)
                service = step(referral, 0.7, 5, 60)
                closed = step(identified, 0.55, 60, 700)
                ips = step(contact, 0.15, 5, 60)
                job = step(ips, 0.5, 10, 150)
                job_days = rng.randint(5, 400) if job and rng.random() < 0.6 else None
                competitive = job if job and rng.random() < 0.7 else None
                copy.write_row(
                    (
                        n + 1,
                        organisation,
                        unit,
                        unit * 17 + rng.randrange(17),  # about 2,000 personal workers, each in one unit
                        MUNICIPALITIES[municipality],
                        f"county-{municipality // 4}",
                        rng.choice(SOURCES),
                        rng.choice(AGES),
                        identified,
                        contact,
                        assessment,
                        plan,
                        referral,
                        service,
                        ips,
                        job,
                        job + timedelta(days=job_days) if job and job_days is not None else None,
                        job_days,
                        competitive,
                        closed,
                        rng.choice(OUTCOMES) if closed else "",
                        (contact - identified).days if contact else None,
                        (plan - identified).days if plan else None,
                        (service - identified).days if service else None,
                        (job - identified).days if job else None,
                        3 if plan else 0,
                        rng.randint(0, 3) if plan else 0,
                        2 if plan else 0,
                        40.0 if plan else None,
                        40.0 + rng.random() * 15 if plan else None,
                        "2026-12-01 00:00+00",
                    )
                )
        connection.commit()
        connection.execute("ANALYZE insights_casefact")
    return time.perf_counter() - started


HAND_SQL = """
WITH scope AS (SELECT * FROM insights_casefact WHERE {where})
SELECT
  (SELECT row(count(*), count(first_contact_on), count(assessment_on), count(plan_agreed_on), count(referral_sent_on),
              count(service_started_on), count(job_started_on), count(closed_on))::text
     FROM scope WHERE identified_on BETWEEN %(start)s AND %(end)s),
  (SELECT row(count(*), count(first_contact_on), count(assessment_on), count(plan_agreed_on), count(referral_sent_on),
              count(service_started_on), count(job_started_on), count(closed_on))::text
     FROM scope WHERE identified_on BETWEEN %(prev_start)s AND %(prev_end)s),
  (SELECT string_agg(source || '=' || n, ',') FROM (SELECT source, count(*) n FROM scope
     WHERE identified_on BETWEEN %(start)s AND %(end)s GROUP BY source) s),
  (SELECT row(count(*) FILTER (WHERE identified_on BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE assessment_on BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE plan_agreed_on BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE referral_sent_on BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE service_started_on BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE closed_on BETWEEN %(start)s AND %(end)s))::text FROM scope),
  (SELECT row(count(*) FILTER (WHERE identified_on BETWEEN %(prev_start)s AND %(prev_end)s),
              count(*) FILTER (WHERE assessment_on BETWEEN %(prev_start)s AND %(prev_end)s),
              count(*) FILTER (WHERE plan_agreed_on BETWEEN %(prev_start)s AND %(prev_end)s),
              count(*) FILTER (WHERE referral_sent_on BETWEEN %(prev_start)s AND %(prev_end)s),
              count(*) FILTER (WHERE service_started_on BETWEEN %(prev_start)s AND %(prev_end)s),
              count(*) FILTER (WHERE closed_on BETWEEN %(prev_start)s AND %(prev_end)s))::text FROM scope),
  (SELECT row(percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_contact),
              percentile_cont(0.8) WITHIN GROUP (ORDER BY days_to_contact),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_plan),
              percentile_cont(0.8) WITHIN GROUP (ORDER BY days_to_plan),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_service),
              percentile_cont(0.8) WITHIN GROUP (ORDER BY days_to_service),
              percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_job),
              percentile_cont(0.8) WITHIN GROUP (ORDER BY days_to_job))::text
     FROM scope WHERE identified_on BETWEEN %(start)s AND %(end)s),
  (SELECT row(count(*) FILTER (WHERE job_started_on BETWEEN %(start)s AND %(end)s),
              count(*) FILTER (WHERE ips_entered_on <= %(end)s),
              count(*) FILTER (WHERE ips_entered_on <= %(end)s AND competitive_job_on <= %(end)s),
              count(*) FILTER (WHERE job_started_on BETWEEN %(start)s AND %(old_enough)s),
              count(*) FILTER (WHERE job_started_on BETWEEN %(start)s AND %(old_enough)s
                               AND (first_job_days IS NULL OR first_job_days >= 90)))::text
     FROM scope WHERE identified_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)),
  (SELECT string_agg(outcome || '=' || n, ',') FROM (SELECT outcome, count(*) n FROM scope
     WHERE closed_on BETWEEN %(start)s AND %(end)s GROUP BY outcome) o),
  (SELECT string_agg(outcome || '=' || n, ',') FROM (SELECT outcome, count(*) n FROM scope
     WHERE closed_on BETWEEN %(prev_start)s AND %(prev_end)s GROUP BY outcome) o),
  (SELECT row(sum(gas_goals), sum(gas_goals_met), avg(t_score_latest - t_score_first) FILTER (WHERE gas_reviews >= 2))::text
     FROM scope WHERE identified_on <= %(end)s AND (closed_on IS NULL OR closed_on >= %(start)s)),
  (SELECT string_agg(b::text, ',') FROM (SELECT width_bucket(n, array[10, 20, 30]) b, count(*) FROM
     (SELECT worker_id, count(*) n FROM scope WHERE identified_on <= %(end)s AND worker_id IS NOT NULL
        AND (closed_on IS NULL OR closed_on > %(end)s) GROUP BY worker_id) w GROUP BY b) c)
"""


def timed(function: Callable[[], object]) -> list[float]:
    function()
    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return runs


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def profile(scope: object, period: object, today: date) -> None:
    """The median of five runs of each indicator group alone, as the page runs it: where its time goes."""
    from polku.insights import figures, indicators

    names = figures.category_names()
    groups: dict[str, Callable[[], object]] = {
        "funnel": lambda: indicators.funnel(scope, period),  # type: ignore[arg-type]
        "sources": lambda: indicators.sources(scope, period),  # type: ignore[arg-type]
        "activity, outcomes, GAS, IPS (indicators.scan)": lambda: indicators.scan(scope, period, today),  # type: ignore[arg-type]
        "times": lambda: indicators.times(scope, period),  # type: ignore[arg-type]
        "referrals": lambda: indicators.referrals(scope, period, names),  # type: ignore[arg-type]
        "closed loop (2)": lambda: (
            indicators.closed_loop(scope, period, "category", names),  # type: ignore[arg-type]
            indicators.closed_loop(scope, period, "provider"),  # type: ignore[arg-type]
        ),
        "placements": lambda: indicators.placements(scope, period),  # type: ignore[arg-type]
        "measures": lambda: indicators.measures(scope, period),  # type: ignore[arg-type]
        "caseload": lambda: indicators.caseload(scope, period),  # type: ignore[arg-type]
        "targets, feedback": lambda: (
            indicators.targets(scope, period, today),  # type: ignore[arg-type]
            indicators.feedback(scope, period),  # type: ignore[arg-type]
        ),
    }
    for name, function in groups.items():
        function()
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            function()
            runs.append(time.perf_counter() - started)
        print(f"  {name}: {statistics.median(runs) * 1000:.0f} ms")


def roll_up() -> float:
    """Rebuild the monthly roll-ups from the seeded facts, as `refresh_insights --all` does."""
    from django.db import connection

    from polku.insights import rollups

    started = time.perf_counter()
    rows = rollups.rebuild()
    with connection.cursor() as cursor:
        # This server runs without autovacuum: the rebuild's DELETE leaves every old row dead, and the
        # dashboard's bitmap scans would visit their pages (11,000 instead of 100 for a municipality).
        cursor.execute("VACUUM (ANALYZE) insights_monthlyfigure")
    print(f"rolled up into {rows:,} monthly rows", end=" ")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--no-seed", action="store_true", help="measure the facts already seeded")
    parser.add_argument("--roll-up", action="store_true", help="with --no-seed: rebuild the roll-ups first")
    parser.add_argument("--municipality-only", action="store_true", help="skip the whole-country case")
    parser.add_argument("--profile", action="store_true", help="also time each indicator group alone")
    args = parser.parse_args()
    os.environ.update(BENCH_ENV)
    setup_database()
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    if not args.no_seed:
        print(f"seeded {args.cases:,} case facts in {seed(args.cases):.1f} s")
    if not args.no_seed or args.roll_up:
        print(f"in {roll_up():.1f} s")
    from django.db import connection
    from django.db.models import Q

    from polku.insights import figures, periods
    from polku.insights.scopes import Scope

    today = date(2026, 12, 1)
    cases = {
        # The scope a manager chooses: their organisation's clients living in one municipality.
        "one municipality, one year": (
            Scope("municipality:564", "Oulu", Q(organisation_id=1) & Q(municipality="564"), 1),
            periods.year(2025),
            "organisation_id = 1 AND municipality = '564'",
        ),
        "whole country, five years": (
            Scope("all", "all", Q()),
            periods.custom(START, END),
            "true",
        ),
    }
    if args.municipality_only:
        cases.pop("whole country, five years")
    for label, (scope, period, where) in cases.items():
        previous = period.previous()
        params = {
            "start": period.start,
            "end": period.end,
            "prev_start": previous.start,
            "prev_end": previous.end,
            "old_enough": min(period.end, today) - timedelta(days=90),
        }

        def orm(scope: Scope = scope, period: periods.Period = period) -> object:
            return figures.compute(scope, period, today)

        def hand(where: str = where, params: dict[str, date] = params) -> object:
            with connection.cursor() as cursor:
                cursor.execute(HAND_SQL.format(where=where), params)
                return cursor.fetchall()

        if args.profile:
            profile(scope, period, today)
        ours, theirs = timed(orm), timed(hand)
        print(
            f"{label}: dashboard p50 {statistics.median(ours) * 1000:.0f} ms, p95 {p95(ours) * 1000:.0f} ms; "
            f"hand-written SQL p50 {statistics.median(theirs) * 1000:.0f} ms, p95 {p95(theirs) * 1000:.0f} ms; "
            f"ratio (p95) {p95(ours) / p95(theirs):.2f}"
        )


if __name__ == "__main__":
    main()
