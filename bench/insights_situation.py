"""The situation report PDF of one municipality at scale (bench/README.md, "Knowledge-based management").

    .venv/bin/python bench/insights_situation.py                  # 25,000 cases, 25,000 extract people
    .venv/bin/python bench/insights_situation.py --people 5000    # fewer

In a database of its own (BENCH_INSIGHTS_DATABASE_URL, e.g. `.../polku_situationbench`; created and migrated
when missing), not the one of bench/insights.py: that one's synthetic facts have case and organisation ids
that collide with the rows seeded here, and each refresh batch would read its millions of roll-up rows
(the script refuses such a database). An organisation with one unit, a manager and 20
personal workers; N synthetic clients living in Oulu with one case each (rows as the services write them,
bulk-inserted: opened on a day of the last five years, about 40 % closed with an outcome), their facts
through the real refresh (`insights.services.refresh`), and N people of the unit's registry extracts
(half of them those clients, a fifth flagged by a rule or with a disability or long-term illness). Then
times the report (`situation.report`) and the PDF the download serves (`core.pdf.render_pdf` of
`insights/situation_pdf.html`), 10 runs after a warm-up, and prints p50/p95. Seeds once (the
organisation's name is the marker).
"""

# ruff: noqa: S311 - synthetic data

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from insights import BENCH_ENV, REPO, p95, setup_database  # a sibling script, found through sys.path

NAME = "Tilannekuvan mittausorganisaatio"
RUNS = 10


def seed(people: int) -> None:
    from django.db import transaction

    from polku.accounts.models import Membership, Organisation, Role, Unit, User
    from polku.clients import identity
    from polku.clients.models import Case, CaseOutcome, CaseSource, CaseStatus, Client
    from polku.core import search
    from polku.insights import services
    from polku.intake.models import RegistryPerson

    rng = random.Random(5)
    today = date.today()
    with transaction.atomic():
        organisation = Organisation.objects.create(name=NAME, kind="municipality")
        unit = Unit.objects.create(organisation=organisation, name="Työkykytiimi")
        users = [
            User.objects.create_user(
                f"situation{n}@bench.polku.example", None, first_name="Mitta", last_name=f"{n}"
            )
            for n in range(21)
        ]
        Membership.objects.create(user=users[0], unit=unit, role=Role.MANAGER)
        workers = [Membership.objects.create(user=u, unit=unit, role=Role.PERSONAL_WORKER) for u in users[1:]]
        clients, births = [], []
        for n in range(people):
            birth = date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28))
            code = f"{birth:%d%m%y}{'-' if birth.year < 2000 else 'A'}{n % 900 + 2:03d}X{n}"
            births.append(birth)
            clients.append(
                Client(
                    identity_code_encrypted=identity.encrypt(code),
                    identity_code_hash=identity.lookup_hash(code),
                    identity_code_masked=f"{birth:%d%m%y}-****",
                    first_names="Testi",
                    last_name=f"Henkilö {n}",
                    search_name=search.fold(f"Testi Henkilö {n}"),
                    birth_date=birth,
                    sex=rng.choice(["female", "male"]),
                    municipality_id="564",
                    created_by=workers[0],
                )
            )
        Client.objects.bulk_create(clients, batch_size=2000)
        saved = list(Client.objects.filter(created_by=workers[0]).order_by("id"))
        cases = []
        for client in saved:
            opened = today - timedelta(days=rng.randrange(5 * 365))
            age = (today - opened).days
            closed = (
                opened + timedelta(days=rng.randint(30, age)) if age > 60 and rng.random() < 0.4 else None
            )
            worker = rng.choice(workers)
            cases.append(
                Case(
                    client=client,
                    unit=unit,
                    source=rng.choice(list(CaseSource.values)),
                    opened_on=opened,
                    opened_by=worker,
                    personal_worker=worker,
                    status=CaseStatus.CLOSED if closed else CaseStatus.ACTIVE_SERVICES,
                    closed_on=closed,
                    outcome=rng.choice(list(CaseOutcome.values)) if closed else "",
                )
            )
        Case.objects.bulk_create(cases, batch_size=2000)
        extract = []
        for n in range(people):
            client = saved[n] if n % 2 == 0 else None
            birth = client.birth_date if client else births[(n * 7) % people]
            flagged = rng.random() < 0.2
            extract.append(
                RegistryPerson(
                    unit=unit,
                    identity_code_encrypted="",
                    identity_code_hash=f"situation-{n}",
                    identity_code_masked="******-****",
                    birth_date=birth,
                    sex="female",
                    first_names="Testi",
                    last_name=f"Rekisteri {n}",
                    municipality_id="564",
                    facts_on=today,
                    unemployed_since=today - timedelta(days=rng.randrange(6 * 365))
                    if rng.random() < 0.9
                    else None,
                    benefit="labour_market_subsidy",
                    disability_or_illness=flagged,
                    facts_digest="x",
                    client=client,
                )
            )
        RegistryPerson.objects.bulk_create(extract, batch_size=2000)
    started = time.perf_counter()
    ids = list(Case.objects.filter(unit=unit).values_list("id", flat=True))
    services.refresh(ids)
    took = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")  # what autovacuum would do; this server runs without it
    print(f"seeded {people:,} clients, cases and extract people; facts refreshed in {took:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=25_000)
    args = parser.parse_args()
    os.environ.update(BENCH_ENV)
    setup_database()
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from polku.accounts.models import Organisation, Unit
    from polku.clients.models import Municipality
    from polku.core.pdf import render_pdf
    from polku.insights import disclosure, situation
    from polku.insights.models import CaseFact

    mine = Organisation.objects.filter(name=NAME).values_list("id", flat=True).first()
    if CaseFact.objects.exclude(organisation_id=mine).exists():
        sys.exit("This database has other case facts (bench/insights.py's?): use a database of its own.")
    if mine is None:
        seed(args.people)
    unit = Unit.objects.get(organisation__name=NAME)
    oulu = Municipality.objects.get(code="564")
    today = date.today()

    def report() -> object:
        return situation.report(organisation_id=unit.organisation_id, municipality=oulu, on=today)

    def pdf() -> bytes:
        found = situation.report(organisation_id=unit.organisation_id, municipality=oulu, on=today)
        return render_pdf(
            "insights/situation_pdf.html",
            {"report": found, "legend": disclosure.legend()},
            language="fi",
            unit=unit,
        )

    found = report()
    print(f"people in the report: {found.total.value:,}")  # type: ignore[attr-defined]
    for label, function in (("report", report), ("report + PDF", pdf)):
        function()
        runs = []
        for _ in range(RUNS):
            started = time.perf_counter()
            function()
            runs.append(time.perf_counter() - started)
        print(
            f"{label}: p50 {statistics.median(runs) * 1000:.0f} ms, p95 {p95(runs) * 1000:.0f} ms, "
            f"max {max(runs) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
