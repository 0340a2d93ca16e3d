"""Registry extract import benchmark on PostgreSQL (bench/README.md, "Registry extract import").

    .venv/bin/python bench/import.py                  # 300,000 rows: COPY baseline, import, re-import
    .venv/bin/python bench/import.py --rows 50000     # a smaller extract
    .venv/bin/python bench/import.py --profile        # also cProfile the import (top functions)

1. Generates a synthetic extract (valid identity codes by the test factories' sequence, Faker fi_FI
   names; cached under /tmp/polku-importbench/), with production-like settings (debug off).
2. Measures a bare `COPY` of the same file into an unindexed table of text columns (the floor).
3. Empties the unit's registry tables and imports the file as `manage.py import_registry` does
   (validation of every row, hashing, screening, encryption of new people, COPY and set-based SQL), in
   a fresh process whose peak memory (getrusage ru_maxrss) is reported.
4. Imports the same file again (idempotent: nothing is written).

The database is `polku_importbench` (BENCH_IMPORT_DATABASE_URL to change it); it is created and
migrated when missing. Run one benchmark at a time: the machine's two cores are shared.
"""

# ruff: noqa: S603, S108, S311 - fixed commands from this checkout; synthetic data in /tmp

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import BENCH_ENV as HTTP_BENCH_ENV  # a sibling script, found through sys.path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
DATA = Path("/tmp/polku-importbench")
DATABASE_URL = os.environ.get(
    "BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_importbench"
)
# The same production-like settings and benchmark-only keys as the load benchmark, with room for the
# 24 MB extract.
BENCH_ENV = {**HTTP_BENCH_ENV, "POLKU_REGISTRY_EXTRACT_MAX_MB": "200", "DATABASE_URL": DATABASE_URL}
UNIT_NAME = "Tuontitesti (bench)"
HEADER = [
    "henkilotunnus",
    "sukunimi",
    "etunimet",
    "kotikunta",
    "tyoton_alkaen",
    "etuus",
    "vamma_tai_sairaus",
    "viimeisin_palvelu_paattyi",
    "poiminta_pvm",
]
MUNICIPALITIES = ["564", "091", "049", "837", "698", "320", "179", "297"]
BENEFITS = ["tyomarkkinatuki", "peruspaivaraha", "ansiopaivaraha", "ei"]


def synthetic_identity_code(n: int) -> str:
    """The test factories' sequence (tests/factories.py): unique for n below 377,160."""
    birth = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    individual = 2 + (n * 7) % 898
    digits = f"{birth:%d%m%y}{individual:03d}"
    return f"{birth:%d%m%y}-{individual:03d}{'0123456789ABCDEFHJKLMNPRSTUVWXY'[int(digits) % 31]}"


def generate(rows: int) -> Path:
    path = DATA / f"extract-{rows}.csv"
    if path.exists():
        return path
    from faker import Faker

    DATA.mkdir(parents=True, exist_ok=True)
    fake = Faker("fi_FI")
    fake.seed_instance(4)
    rng = random.Random(4)
    on = date.today() - timedelta(days=1)
    last_names = [fake.last_name() for _ in range(5000)]
    first_names = [f"{fake.first_name()} {fake.first_name()}" for _ in range(5000)]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for n in range(1, rows + 1):
            unemployed = rng.random() < 0.85
            activation = rng.random() < 0.4
            writer.writerow(
                [
                    synthetic_identity_code(n),
                    rng.choice(last_names),
                    rng.choice(first_names),
                    rng.choice(MUNICIPALITIES),
                    (on - timedelta(days=rng.randint(1, 2500))).isoformat() if unemployed else "",
                    rng.choice(BENEFITS),
                    "kyllä" if rng.random() < 0.12 else "ei",
                    (on - timedelta(days=rng.randint(1, 900))).strftime("%-d.%-m.%Y") if activation else "",
                    on.isoformat(),
                ]
            )
    tmp.rename(path)
    return path


def setup_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env={**os.environ, **BENCH_ENV},
        check=True,
    )


def bare_copy(path: Path) -> float:
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        columns = ", ".join(f"{name} text" for name in HEADER)
        connection.execute("DROP TABLE IF EXISTS bench_bare_copy")
        connection.execute(f"CREATE UNLOGGED TABLE bench_bare_copy ({columns})")
        connection.commit()
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY bench_bare_copy FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        connection.commit()
        seconds = time.perf_counter() - started
        connection.execute("DROP TABLE bench_bare_copy")
        connection.commit()
    return seconds


def child(path: Path, profile: bool) -> None:
    """In a fresh process: set Django up, then time only the import itself."""
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from polku.accounts.models import Organisation, OrganisationKind, Unit
    from polku.intake import services

    organisation, _ = Organisation.objects.get_or_create(
        name="Tuontitesti (bench)",
        defaults={
            "kind": OrganisationKind.MUNICIPALITY,
            "business_id": "0000000-0",
            "municipality_code": "564",
        },
    )
    unit, _ = Unit.objects.get_or_create(organisation=organisation, name=UNIT_NAME)
    data_size = path.stat().st_size
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timings: dict[str, float] = {}
    started = time.perf_counter()
    extract = services.create_extract_for_command(unit=unit, path=path)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    extract = services.run_import(extract=extract, data=path.read_bytes(), timings=timings)
    seconds = time.perf_counter() - started
    if profile:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(25)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "status": extract.status,
                "rows": extract.rows_total,
                "new": extract.new_people,
                "changed": extract.changed_people,
                "unchanged": extract.unchanged_people,
                "flagged": extract.flagged_people,
                "bytes": data_size,
                "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "maxrss_after_setup_mb": rss_before / 1024,
                "timings": timings,
            }
        )
    )


def run_child(path: Path, profile: bool = False) -> dict[str, Any]:
    result = subprocess.run(
        [str(PYTHON), __file__, "--child", str(path), *(["--profile"] if profile else [])],
        cwd=REPO,
        env={**os.environ, **BENCH_ENV},
        check=True,
        capture_output=True,
        text=True,
    )
    if profile:
        sys.stderr.write(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def empty_registry() -> None:
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute(
            "TRUNCATE intake_registryfactshistory, intake_extractproblem, intake_registryperson,"
            " intake_registryextract"
        )
        connection.execute("VACUUM ANALYZE intake_registryperson")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.profile)
        return
    path = generate(args.rows)
    print(f"extract: {path} ({args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB)")
    setup_database()
    copy_seconds = bare_copy(path)
    print(f"bare COPY into an unindexed table: {copy_seconds:.2f} s")
    empty_registry()
    first = run_child(path, args.profile)
    print(f"import: {json.dumps(first)}")
    second = run_child(path)
    print(f"second import of the same file: {json.dumps(second)}")
    print(
        f"\nSUMMARY rows={args.rows} copy={copy_seconds:.2f}s import={first['seconds']:.2f}s "
        f"({first['seconds'] / copy_seconds:.1f}x copy) peak={first['maxrss_mb']:.0f}MB "
        f"reimport={second['seconds']:.2f}s ({second['seconds'] / copy_seconds:.1f}x copy) "
        f"peak={second['maxrss_mb']:.0f}MB"
    )


if __name__ == "__main__":
    main()
