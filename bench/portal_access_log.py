"""The client's "Who has viewed my data" with millions of audit events (bench/README.md, "The client's
access log (issue 24)").

    .venv/bin/python bench/portal_access_log.py --setup --events 10000000   # once: migrate and fill
    .venv/bin/python bench/portal_access_log.py                            # measure

The table gets `--events` audit events spread over 5,000 other clients and two years, written by
`INSERT ... SELECT generate_series` (their hashes are not valid: only the measured client's events are
checked); the measured client gets `--own` events (default 2,000) written through `audit.record_many`,
so their keyed hashes and seals are real, and is listed on 200 list-page events (`ListedClient`).
Measured in process on PostgreSQL (`polku_portal_bench`; BENCH_PORTAL_DATABASE_URL to change it): the
portal's first page (`portal.selectors.access_log_page` + `chain_check`), a page deep in the log (by
its keyset cursor), and the whole two years as the PDF reads them (`access_log`), each --runs times;
p50 and p95 in ms.
"""

# ruff: noqa: S608 - fixed SQL with integers from this script

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import BENCH_ENV  # a sibling script, found through sys.path

REPO = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_PORTAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/polku_portal_bench"
)


def django_setup() -> None:
    os.environ.update({**BENCH_ENV, "DATABASE_URL": DATABASE_URL})
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def create_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def fill(events: int, own: int) -> None:
    from datetime import date, timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from polku.audit import services as audit
    from polku.audit.models import AuditEvent, ListedClient
    from polku.clients.models import Client
    from tests.factories import make_client, make_membership, make_organisation, make_unit

    if Client.objects.filter(first_names="Mittaus").exists():
        print("Already filled.")
        return
    started = time.monotonic()
    organisation = make_organisation(name="Mittauskaupunki", municipality_code="564")
    worker = make_membership(unit=make_unit(organisation=organisation, name="Mittaustiimi"))
    client = make_client(by=worker, first_names="Mittaus", opened_on=date(2025, 1, 2))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO audit_auditevent (at, actor_label, role, action, object_type, object_id, client_id,
                reason, request_id, details, prev_hash, hash, membership_id, organisation_id, actor_id)
            SELECT now() - (n %% 730) * interval '1 day' - (n %% 86400) * interval '1 second',
                'filler@polku.example', 'personal_worker', 'client.view', 'clients.client', '',
                md5((n %% 5000)::text)::uuid, '', '', '{{}}', '', md5(n::text) || md5(n::text),
                %s, %s, %s
            FROM generate_series(1, {events}) AS n
            """,
            [worker.pk, organisation.pk, worker.user_id],
        )
    print(f"{events:,} filler events in {time.monotonic() - started:.0f} s")
    now = timezone.now()
    built = []
    for n in range(own):
        event = audit.new_event(worker, "client.view", client, client=client, details={"n": n})
        event.at = now - timedelta(minutes=n * 500)
        event.hash = event.compute_hash()
        built.append(event)
    audit.record_many(built)
    listed = [
        audit.new_event(worker, "caseload.view", details={"clients": [str(client.public_id)]})
        for _ in range(200)
    ]
    audit.record_many(listed)
    ListedClient.objects.bulk_create(ListedClient(event_id=e.pk, client_id=client.public_id) for e in listed)
    while audit.seal_pending(wait=True, max_batches=None):
        pass
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("ANALYZE audit_listedclient")
    print(f"Filled in {time.monotonic() - started:.0f} s: {AuditEvent.objects.count():,} events")


def measure(runs: int) -> None:
    from polku.clients.models import Client
    from polku.clients.selectors import AccessEvent
    from polku.portal import selectors

    client = Client.objects.get(first_names="Mittaus")
    _, cursor = selectors.access_log_page(client)
    for _ in range(8):  # a cursor deep in the log
        _, cursor = selectors.access_log_page(client, cursor)

    def timed(label: str, call: object) -> None:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()  # type: ignore[operator]
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{label:<38} p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  ({runs} runs)")

    def first_page() -> None:
        page, _ = selectors.access_log_page(client)
        selectors.chain_check(page)
        [AccessEvent.of(event) for event in page]  # the rows the page shows

    def deep_page() -> None:
        page, _ = selectors.access_log_page(client, cursor)
        selectors.chain_check(page)
        [AccessEvent.of(event) for event in page]

    def whole_log() -> None:
        [AccessEvent.of(event) for event in selectors.access_log(client)]

    print(f"client's events in the log: {selectors.access_log(client).count():,}")
    timed("first page + chain check", first_page)
    timed("page 10 by keyset + chain check", deep_page)
    timed("two years (the PDF's read)", whole_log)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--own", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if args.setup:
        create_database()
    django_setup()
    sys.path.insert(0, str(REPO))
    if args.setup:
        fill(args.events, args.own)
    measure(args.runs)


if __name__ == "__main__":
    main()
