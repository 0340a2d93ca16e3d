"""Knowledge-based management at scale on PostgreSQL (bench/README.md, "Knowledge-based management").

    .venv/bin/python bench/insights.py                 # 1,000,000 cases over five years
    .venv/bin/python bench/insights.py --cases 100000  # fewer

1. Seeds N cases identified over five whole years (2021-2025) across the 20 demo municipalities, 40
   organisations (two per municipality, three units each) and about 2,000 personal workers: the BASE rows
   the services write (client, case and status history, contacts, assessments, service plans with goals,
   reviews and GAS ratings, referrals, placements with attendance and feedback, IPS periods and jobs,
   questionnaire responses) with `COPY`, and the facts derived from exactly those rows (`insights_seed`;
   tests/bench/test_insights_seed.py checks them against `insights.services.refresh`), then ANALYZE;
   then rebuilds the monthly roll-ups (`insights.rollups.rebuild`, what `refresh_insights --all` runs).
2. Times the dashboard's figures (`insights.figures.compute`: every indicator group, protected) for one
   municipality (an organisation's clients living in Oulu, the scope a manager chooses) and one year,
   and for the whole country and five years, 15 runs each after a warm-up, and the same numbers from
   hand-written SQL over the BASE tables (`insights_sql.py`) in the same run; prints p50/p95, the ratio
   and whether both gave the same numbers. `--profile` first prints each indicator group alone.

The database is `polku_insightsbench` (BENCH_INSIGHTS_DATABASE_URL to change it), created and migrated
when missing. Run one benchmark at a time: the machine's two cores are shared.
"""

# ruff: noqa: S603 - fixed commands from this checkout; synthetic data; long SQL lines

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import BENCH_ENV as HTTP_BENCH_ENV  # a sibling script, found through sys.path

REPO = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_INSIGHTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_insightsbench"
)
BENCH_ENV = {**HTTP_BENCH_ENV, "DATABASE_URL": DATABASE_URL}
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
    """The base rows of N cases with their facts (`insights_seed`), in place of any seeded before."""
    from django.db import connection

    from bench.insights_seed.paths import MODELS
    from bench.insights_seed.seeder import seed as seed_cases
    from polku.insights.models import MonthlyFigure

    started = time.perf_counter()
    tables = ", ".join(model._meta.db_table for model in [*MODELS, MonthlyFigure])
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")
    written = seed_cases(cases, start=START, end=END, report=print)
    print(f"  {sum(written.values()):,} rows: " + ", ".join(f"{k} {v:,}" for k, v in written.items()))
    return time.perf_counter() - started


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
    parser.add_argument("--seed-only", action="store_true", help="seed and roll up, measure nothing")
    args = parser.parse_args()
    os.environ.update(BENCH_ENV)
    setup_database()
    sys.path.insert(0, str(REPO / "src"))
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    if not args.no_seed:
        print(f"seeded {args.cases:,} cases in {seed(args.cases):.1f} s")
    if not args.no_seed or args.roll_up:
        print(f"in {roll_up():.1f} s")
    if args.seed_only:
        return
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.insights_seed.world import MARK
    from polku.accounts.models import Organisation
    from polku.insights import figures, periods
    from polku.insights.scopes import Scope

    today = timezone.localdate()
    oulu = Organisation.objects.filter(name__startswith=MARK, municipality_code="564").order_by("id")[0].pk
    cases = {
        # The scope a manager chooses: their organisation's clients living in one municipality.
        "one municipality, one year": (
            Scope("municipality:564", "Oulu", Q(organisation_id=oulu) & Q(municipality="564"), oulu),
            periods.year(2025),
            f"u.organisation_id = {oulu} AND cl.municipality_id = '564'",
        ),
        "whole country, five years": (
            Scope("all", "all", Q()),
            periods.custom(START, END),
            "true",
        ),
    }
    if args.municipality_only:
        cases.pop("whole country, five years")
    from bench.insights_sql import dashboard_numbers, hand_numbers
    from polku.insights.models import CaseFact

    codes = {name: code for code, name in figures.category_names().items()}
    print(f"{CaseFact.objects.count():,} cases' facts")
    for label, (scope, period, where) in cases.items():

        def orm(scope: Scope = scope, period: periods.Period = period) -> object:
            return figures.compute(scope, period, today)

        def hand(where: str = where, period: periods.Period = period) -> object:
            with connection.cursor() as cursor:
                return hand_numbers(cursor, where, period, today)

        if args.profile:
            profile(scope, period, today)
        ours, theirs = timed(orm), timed(hand)
        with override_settings(POLKU_INSIGHTS_THRESHOLD=1):  # every median and rate shown, to compare
            same = dashboard_numbers(orm(), codes) == hand()  # type: ignore[arg-type]
        print(
            f"{label}: dashboard p50 {statistics.median(ours) * 1000:.0f} ms, p95 {p95(ours) * 1000:.0f} ms; "
            f"hand-written SQL over the base tables p50 {statistics.median(theirs) * 1000:.0f} ms, "
            f"p95 {p95(theirs) * 1000:.0f} ms; ratio (p95) {p95(ours) / p95(theirs):.2f}; "
            f"same numbers: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
