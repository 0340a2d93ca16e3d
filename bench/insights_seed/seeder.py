"""The run: the world once, then N cases in batches, each batch's rows written table by table in the
order of their foreign keys (`paths.MODELS`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from . import world as worlds
from .paths import MODELS, Paths, Span

BATCH = 5000  # cases


def seed(
    cases: int,
    *,
    start: date = date(2021, 1, 1),
    end: date = date(2025, 12, 31),
    workers_per_unit: int = 17,
    today: date | None = None,
    report: Callable[[str], object] = lambda _line: None,
) -> dict[str, int]:
    """Add `cases` cases identified between `start` and `end`, with their base rows and facts; returns
    the rows written by table. Each batch commits on its own when not inside a transaction."""
    world = worlds.build(workers_per_unit)
    paths = Paths(world, Span(start, end), today or timezone.localdate(), timezone.get_current_timezone())
    for table in paths.tables.values():
        table.start_after()
    started = time.perf_counter()
    for batch_start in range(0, cases, BATCH):
        for index in range(batch_start, min(batch_start + BATCH, cases)):
            paths.add(index)
        with transaction.atomic():
            for model in MODELS:
                paths.tables[model].flush()
        done = min(batch_start + BATCH, cases)
        if done % (BATCH * 10) == 0 or done == cases:
            rows = sum(table.written for table in paths.tables.values())
            report(f"  {done:,} cases, {rows:,} rows, {time.perf_counter() - started:.0f} s")
    for table in paths.tables.values():
        table.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {model.__name__: paths.tables[model].written for model in MODELS}
