"""IPS matching at scale (bench/README.md, "Matching (issue 23)").

    .venv/bin/python bench/matching.py               # seeds once, then measures
    .venv/bin/python bench/matching.py --reseed      # drop the bench rows and seed again

Seeds, on PostgreSQL (`polku_ipsbench`, created and migrated when missing; BENCH_MATCHING_DATABASE_URL
to change it), one organisation with one job coach on the case team of 10,000 clients, each in IPS
(engagement or job search) with a career profile (kinds of work, hours, 1-3 places, adjustments), and
5,000 open job openings of 50 employers. Then times, in this process, `matching.openings_for` for 200
random job seekers and `matching.seekers_for` for 200 random openings (the top 20 each, the same calls
the pages make; the first 20 calls of each warm up and are not counted), and prints p50, p95 and max.
Rows are bulk-inserted straight into the tables (synthetic, no audit events): only the reads are
measured.
"""

# ruff: noqa: S311 - synthetic data

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import BENCH_ENV  # a sibling script, found through sys.path

REPO = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_MATCHING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_ipsbench"
)
SEEKERS, OPENINGS, SAMPLES, WARM_UP = 10_000, 5_000, 200, 20
BATCH = 2_000


def setup() -> None:
    os.environ.update({**BENCH_ENV, "DATABASE_URL": DATABASE_URL})
    sys.path.insert(0, str(REPO / "src"))
    import psycopg
    from psycopg import sql

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(reseed: bool) -> None:
    from polku.accounts.demo import synthetic_business_id
    from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User
    from polku.clients.models import Case, CaseTeamMember, Client, Municipality
    from polku.employment.models import Adjustment, CareerProfile, IpsPeriod, JobField, JobOpening, bits_of

    org = Organisation.objects.filter(name="IPS-bench").first()
    if org is not None and not reseed:
        return
    if org is not None:
        CareerProfile.municipalities.through.objects.filter(careerprofile__period__organisation=org).delete()
        CareerProfile.objects.filter(period__organisation=org).delete()
        IpsPeriod.objects.filter(organisation=org).delete()
        JobOpening.objects.filter(owner=org).delete()
        CaseTeamMember.objects.filter(case__unit__organisation=org).delete()
        cases = Case.objects.filter(unit__organisation=org)
        clients = list(cases.values_list("client_id", flat=True))
        cases.delete()
        Client.objects.filter(pk__in=clients).delete()
    rng = random.Random(23)
    started = time.monotonic()
    if org is None:
        org = Organisation.objects.create(
            name="IPS-bench",
            kind=OrganisationKind.MUNICIPALITY,
            business_id=synthetic_business_id(9_900_001),
            municipality_code="564",
        )
    unit, _ = Unit.objects.get_or_create(organisation=org, name="IPS")
    user = User.objects.filter(email="coach@ipsbench.example").first() or User.objects.create_user(
        "coach@ipsbench.example", None, first_name="Bench", last_name="Coach"
    )
    coach, _ = Membership.objects.get_or_create(
        user=user, unit=unit, role=Role.JOB_COACH, defaults={"valid_from": date(2020, 1, 1)}
    )
    employers = []
    for n in range(50):
        employer, _ = Organisation.objects.get_or_create(
            name=f"IPS-bench employer {n}",
            defaults={
                "kind": OrganisationKind.EMPLOYER,
                "business_id": synthetic_business_id(9_800_000 + 7 * n),
            },
        )
        employers.append(employer)
    places = list(Municipality.objects.order_by("code").values_list("code", flat=True)[:40])
    fields, adjustments = JobField.values, Adjustment.values
    today = date.today()
    for start in range(0, SEEKERS, BATCH):
        count = min(BATCH, SEEKERS - start)
        clients = Client.objects.bulk_create(
            [
                Client(
                    identity_code_encrypted="bench",
                    identity_code_hash=f"ipsbench-{uuid.uuid4().hex}",
                    identity_code_masked="010190-XXXX",
                    first_names="Bench",
                    last_name=f"Seeker {start + n}",
                    birth_date=date(1990, 1, 1),
                    sex="female",
                    municipality_id="564",
                    created_by=coach,
                )
                for n in range(count)
            ]
        )
        cases = Case.objects.bulk_create(
            [
                Case(
                    client=c,
                    unit=unit,
                    source="self_referral",
                    opened_on=today - timedelta(days=200),
                    opened_by=coach,
                )
                for c in clients
            ]
        )
        CaseTeamMember.objects.bulk_create(
            [
                CaseTeamMember(
                    case=case,
                    membership=coach,
                    role=Role.JOB_COACH,
                    started_on=case.opened_on,
                    added_by=coach,
                )
                for case in cases
            ]
        )
        periods = IpsPeriod.objects.bulk_create(
            [
                IpsPeriod(
                    case=case,
                    client_id=case.client_id,
                    organisation=org,
                    coach=coach,
                    phase=rng.choice(["engagement", "job_search"]),
                    entered_on=today - timedelta(days=100),
                    created_by=coach,
                )
                for case in cases
            ]
        )
        profiles = []
        for period in periods:
            wanted_fields = rng.sample(fields, k=rng.randint(1, 3))
            wanted_adjustments = rng.sample(adjustments, k=rng.randint(0, 2))
            low = rng.choice([0, 8, 10, 15, 20, 30])
            profiles.append(
                CareerProfile(
                    period=period,
                    job_fields=wanted_fields,
                    job_field_bits=bits_of(wanted_fields, JobField),
                    hours_min=low,
                    hours_max=low + rng.choice([5, 10, 20]),
                    adjustments=wanted_adjustments,
                    adjustment_bits=bits_of(wanted_adjustments, Adjustment),
                    updated_by=coach,
                )
            )
        profiles = CareerProfile.objects.bulk_create(profiles)
        CareerProfile.municipalities.through.objects.bulk_create(
            [
                CareerProfile.municipalities.through(careerprofile_id=profile.pk, municipality_id=code)
                for profile in profiles
                for code in rng.sample(places, k=rng.randint(1, 3))
            ]
        )
    openings = []
    for n in range(OPENINGS):
        offered = rng.sample(adjustments, k=rng.randint(0, 3))
        low = rng.choice([8, 10, 15, 20, 30, 37])
        openings.append(
            JobOpening(
                owner=org,
                employer=employers[n % len(employers)],
                title=f"Opening {n}",
                job_field=rng.choice(fields),
                hours_min=low,
                hours_max=min(low + rng.choice([0, 5, 10]), 60),
                adjustments=offered,
                adjustment_bits=bits_of(offered, Adjustment),
                municipality_id=rng.choice(places),
                created_by=coach,
            )
        )
    JobOpening.objects.bulk_create(openings, batch_size=BATCH)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather after a load
        cursor.execute("ANALYZE")
    print(f"seeded {SEEKERS} job seekers and {OPENINGS} openings in {time.monotonic() - started:.0f} s")


def measure() -> None:
    from django.db import connection

    from polku.accounts.models import Membership
    from polku.employment import matching
    from polku.employment.models import CareerProfile, JobOpening

    coach = Membership.objects.select_related("unit__organisation").get(user__email="coach@ipsbench.example")
    rng = random.Random(5)
    profile_ids = list(CareerProfile.objects.filter(period__coach=coach).values_list("pk", flat=True))
    opening_ids = list(
        JobOpening.objects.filter(owner_id=coach.unit.organisation_id).values_list("pk", flat=True)
    )
    print(f"{connection.vendor}: {len(profile_ids)} job seekers, {len(opening_ids)} openings")
    for name, ids, model, call in (
        (
            "openings for a job seeker",
            profile_ids,
            CareerProfile,
            lambda obj: matching.openings_for(obj, viewer=coach),
        ),
        (
            "job seekers for an opening",
            opening_ids,
            JobOpening,
            lambda obj: matching.seekers_for(obj, viewer=coach),
        ),
    ):
        timings = []
        for n, pk in enumerate(rng.sample(ids, SAMPLES + WARM_UP)):
            obj = model.objects.get(pk=pk)
            began = time.perf_counter()
            found = call(obj)
            elapsed = (time.perf_counter() - began) * 1000
            assert len(found) == matching.TOP
            if n >= WARM_UP:
                timings.append(elapsed)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        p50, worst = statistics.median(timings), timings[-1]
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms ({SAMPLES} calls)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    setup()
    seed(args.reseed)
    measure()


if __name__ == "__main__":
    main()
