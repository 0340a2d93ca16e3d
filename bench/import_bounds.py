"""What a hostile registry extract costs (bench/README.md, "Import bounds (issue 21)").

    .venv/bin/python bench/import_bounds.py            # the three files below, each in a fresh process

1. `bad-lines.csv`: 10 MB of one-field lines (5,000,000 lines, each a problem: the outside tester's file);
2. `bad-rows.csv`: 10 MB of full rows with every field wrong (several problems a line);
3. `bomb.xlsx`: a 1.2 MB workbook whose sheet unpacks to 420 MB (the tester's was 2.4 MB);
4. `blank-rows.xlsx`: a valid header and then 250 MB of empty rows (under the unpacked limit; its
   dimension says 500,001 rows, the most accepted, so openpyxl streams that many rows and stops);
5. `no-dimension.xlsx`: the same without the dimension (refused: openpyxl would parse it whole).

Each is imported as `manage.py import_registry` does (`services.run_import` on the file's bytes) in a
fresh process with production-like settings on PostgreSQL (`polku_importbounds`, created and migrated
when missing; BENCH_BOUNDS_DATABASE_URL to change it). Reported: wall-clock seconds of the import, the
process's peak memory (getrusage ru_maxrss, Django's start-up included), the problem rows written and
how much the problem table grew on disk.
"""

# ruff: noqa: S603, S108 - fixed commands from this checkout; synthetic data in /tmp

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import BENCH_ENV as HTTP_BENCH_ENV  # a sibling script, found through sys.path

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
DATA = Path("/tmp/polku-importbounds")
DATABASE_URL = os.environ.get(
    "BENCH_BOUNDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_importbounds"
)
BENCH_ENV = {**HTTP_BENCH_ENV, "DATABASE_URL": DATABASE_URL}
HEADER = (
    "henkilotunnus,sukunimi,etunimet,kotikunta,tyoton_alkaen,etuus,vamma_tai_sairaus,"
    "viimeisin_palvelu_paattyi,poiminta_pvm"
)
SIZE = 10_000_000


def bad_lines() -> Path:
    path = DATA / "bad-lines.csv"
    if not path.exists():
        body = b"x\n" * ((SIZE - len(HEADER) - 1) // 2)
        path.write_bytes(HEADER.encode() + b"\n" + body)
    return path


def bad_rows() -> Path:
    path = DATA / "bad-rows.csv"
    if not path.exists():
        line = b"010101-0000,,,999,31.2.2024,maybe,perhaps,2099-01-01,tomorrow\n"
        path.write_bytes(HEADER.encode() + b"\n" + line * ((SIZE - len(HEADER) - 1) // len(line)))
    return path


def bomb() -> Path:
    """A workbook whose one sheet is 420 MB of the same row, written as a stream (never held whole)."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1000
    return workbook(DATA / "bomb.xlsx", b"", row, 420_000_000, "A1")


def blank_rows() -> Path:
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in HEADER.split(","))
    # The dimension says 500,001 rows (the most accepted): openpyxl streams that many and stops.
    return workbook(
        DATA / "blank-rows.xlsx", f"<row>{cells}</row>".encode(), b"<row/>" * 1000, 250_000_000, "A1:I500001"
    )


def no_dimension() -> Path:
    return workbook(DATA / "no-dimension.xlsx", b"", b"<row/>" * 1000, 250_000_000, "")


def workbook(path: Path, first: bytes, rows: bytes, size: int, dimension: str) -> Path:
    if path.exists():
        return path
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
                + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
                + b"<sheetData>"
                + first
            )
            for _ in range(size // len(rows)):
                sheet.write(rows)
            sheet.write(b"</sheetData></worksheet>")
    return path


def setup_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env={**os.environ, **BENCH_ENV},
        check=True,
    )


def child(path: Path) -> None:
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.db import connection

    from polku.accounts.models import Organisation, OrganisationKind, Unit
    from polku.intake import services

    organisation, _ = Organisation.objects.get_or_create(
        name="Rajatesti (bench)",
        defaults={
            "kind": OrganisationKind.MUNICIPALITY,
            "business_id": "0000000-0",
            "municipality_code": "564",
        },
    )
    unit, _ = Unit.objects.get_or_create(organisation=organisation, name="Rajatesti (bench)")

    def table_bytes() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('intake_extractproblem')")
            return int(cursor.fetchone()[0])

    before = table_bytes()
    started = time.perf_counter()
    extract = services.create_extract_for_command(unit=unit, path=path)
    extract = services.run_import(extract=extract, data=path.read_bytes())
    seconds = time.perf_counter() - started
    last = extract.problems.order_by("-line", "-id").first()
    print(
        json.dumps(
            {
                "file": path.name,
                "mb": round(path.stat().st_size / 1e6, 1),
                "seconds": round(seconds, 2),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "status": extract.status,
                "problem_count": extract.problem_count,
                "problem_rows": extract.problems.count(),
                "stopped_at_line": extract.stopped_at_line,
                "table_growth_kb": round((table_bytes() - before) / 1024),
                "last_problem": last.reason[:90] if last else "",
            }
        )
    )


def run_child(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [str(PYTHON), __file__, "--child", str(path)],
        cwd=REPO,
        env={**os.environ, **BENCH_ENV},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    DATA.mkdir(parents=True, exist_ok=True)
    files = [bad_lines(), bad_rows(), bomb(), blank_rows(), no_dimension()]
    setup_database()
    for path in files:
        print(json.dumps(run_child(path)), flush=True)


if __name__ == "__main__":
    main()
