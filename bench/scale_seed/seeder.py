"""The run: staff first, then N synthetic clients in batches, one thread making rows while this one
writes the previous batch, so that Python and PostgreSQL work at the same time."""

from __future__ import annotations

import queue
import random
import threading
import time as clock
from typing import Any, Protocol

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from faker import Faker

from polku.accounts.models import Organisation
from polku.audit.models import AuditEvent, AuditSeal
from polku.audit.services import record_many, seal_pending
from polku.clients.demo import OULU_WORKER
from polku.clients.models import Client

from .rows import ClientRows
from .staff import REGIONS, SCALE_DOMAIN, StaffBuilder
from .tables import Sink

BATCH = 2000  # clients
FAKER_SEED = 2026
Batch = tuple[int, dict[type[Model], list[tuple[Any, ...]]], list[AuditEvent]]


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


class MissingDemo(RuntimeError):
    pass


def seed(*, scale: int, stdout: Writer) -> int:
    """Add synthetic clients until there are `scale` of them; returns how many were added. Run it in one
    transaction: the tables are locked until it commits, and a failure leaves nothing behind."""
    return ScaleSeeder(scale, stdout).run()


class ScaleSeeder:
    """N synthetic clients over many synthetic personal workers (about 40 open cases each)."""

    def __init__(self, target: int, stdout: Writer) -> None:
        self.target, self.stdout = target, stdout
        faker = Faker("fi_FI")
        faker.seed_instance(FAKER_SEED)
        self.rng = random.Random(FAKER_SEED)  # noqa: S311 - synthetic data, not secrets
        self.first_names = {
            "female": sorted({faker.first_name_female() for _ in range(400)}),
            "male": sorted({faker.first_name_male() for _ in range(400)}),
        }
        self.last_names = sorted({faker.last_name() for _ in range(1500)})
        self.streets = sorted({faker.street_name() for _ in range(600)})
        self.sink = Sink()
        self.counts: dict[str, int] = {}
        self.write_seconds: dict[str, float] = {}

    def run(self) -> int:
        started = clock.monotonic()
        existing = Client.objects.filter(created_by__user__email__endswith=f"@{SCALE_DOMAIN}").count()
        if existing >= self.target:
            self.stdout.write(f"Synthetic clients: {existing} already there; nothing added.")
            return 0
        cities = [city for _, _, city, _, _ in REGIONS]
        if Organisation.objects.filter(name__in=cities).count() < len(cities):
            raise MissingDemo("The demo organisations are missing: run `manage.py seed_demo` first.")
        workforce = StaffBuilder(self.target, self.rng, self.first_names, self.last_names).build()
        if OULU_WORKER not in workforce.demo:
            raise MissingDemo("The demo accounts are missing: run `manage.py seed_demo` first.")
        seal_pending(wait=True, max_batches=None)  # the queue empty before the first batch
        self.sink.lock()
        self.stdout.write(
            f"Synthetic clients: {self.target - existing} to add to {existing}, "
            f"{sum(len(r.workers) for r in workforce.regions)} personal workers, "
            f"{workforce.count} staff in all."
        )
        rows = ClientRows(
            rng=self.rng,
            sink=self.sink,
            workforce=workforce,
            first_names=self.first_names,
            last_names=self.last_names,
            streets=self.streets,
            today=timezone.localdate(),
            tz=timezone.get_current_timezone(),
        )
        batches: queue.Queue[Batch | BaseException | None] = queue.Queue(maxsize=2)
        stop = threading.Event()
        producer = threading.Thread(target=self._produce, args=(rows, existing, batches, stop), daemon=True)
        producer.start()
        try:
            while (item := batches.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                batch_end, made, events = item
                self._flush(made, events)
                elapsed = clock.monotonic() - started
                total = sum(self.counts.values())
                self.stdout.write(
                    f"  {batch_end}/{self.target} clients, {total:,} rows, {elapsed:.0f} s "
                    f"({total / elapsed:,.0f} rows/s)"
                )
        finally:
            stop.set()
            producer.join()
        self.sink.finish()
        if connection.vendor == "postgresql":  # statistics, as `Sink.finish` gives the other tables
            with connection.cursor() as cursor:
                for model in (AuditEvent, AuditSeal):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elapsed = clock.monotonic() - started
        total = sum(self.counts.values())
        added = self.target - existing
        self.stdout.write(
            f"Synthetic clients: {added} clients, {total:,} rows ({total / added:.1f} a client) "
            f"in {elapsed:.1f} s:"
        )
        for name, count in self.counts.items():
            self.stdout.write(f"  {name:<18} {count:>12,}  (written in {self.write_seconds[name]:.1f} s)")
        return added

    def _produce(
        self, rows: ClientRows, existing: int, batches: queue.Queue[Any], stop: threading.Event
    ) -> None:
        try:
            for batch_start in range(existing, self.target, BATCH):
                batch_end = min(batch_start + BATCH, self.target)
                for index in range(batch_start, batch_end):
                    rows.add(index)
                made, events = rows.take()
                while not stop.is_set():
                    try:
                        batches.put((batch_end, made, events), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            batches.put(None)
        except BaseException as error:  # handed to the writing thread, which raises it
            batches.put(error)

    def _flush(self, batch: dict[type[Model], list[tuple[Any, ...]]], events: list[AuditEvent]) -> None:
        for model, rows in batch.items():
            started = clock.monotonic()
            self.sink.write(model, rows)
            self._count(model.__name__, len(rows), started)
        started = clock.monotonic()
        written = record_many(events)
        self._count("AuditEvent", written, started)
        started = clock.monotonic()
        sealed = seal_pending(wait=True, max_batches=None)
        self._count("AuditSeal", sealed, started)

    def _count(self, name: str, count: int, started: float) -> None:
        self.counts[name] = self.counts.get(name, 0) + count
        self.write_seconds[name] = self.write_seconds.get(name, 0.0) + clock.monotonic() - started
