"""Writing the roll-ups: a batch's difference added to the rows it changes (`apply`), or everything
recomputed on the database server (`rebuild`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    Q,
)

from polku.insights.models import CaseFact, MonthlyFigure
from polku.insights.rollups.columns import (
    COLUMNS,
    KEY_COLUMNS,
    Key,
)
from polku.insights.rollups.grouping import groupings


def apply(old: dict[Key, list[float]], new: dict[Key, list[float]]) -> int:
    """Add the difference between a batch's new and old contributions to the roll-ups (rows summing to
    nothing are removed); returns the number of rows changed. Only the rows of the keys the batch
    changes are read and written (`_rows_of`), whatever the number of other rows. The caller holds the
    roll-up lock."""
    delta: dict[Key, list[float]] = {}
    for key in set(old) | set(new):
        before, after = old.get(key, [0, 0.0]), new.get(key, [0, 0.0])
        change = [after[0] - before[0], after[1] - before[1]]
        if change[0] or abs(change[1]) > 1e-9:
            delta[key] = change
    if not delta:
        return 0
    existing = _rows_of(delta)
    # Rewritten rather than updated: the changed rows are deleted and inserted again with their sums (two
    # plain statements per chunk, where an UPDATE of many rows needs a CASE WHEN per row).
    replaced: list[MonthlyFigure] = []
    for key, (n, amount) in delta.items():
        row = existing.get(key)
        total_n = int(n) + (row.n if row else 0)
        total_amount = amount + (row.amount if row else 0.0)
        if total_n or abs(total_amount) >= 1e-9:
            columns = dict(zip(KEY_COLUMNS, key, strict=True))
            replaced.append(MonthlyFigure(**columns, n=total_n, amount=total_amount))
    pks = [row.pk for row in existing.values()]
    for start in range(0, len(pks), FETCH_CHUNK):
        MonthlyFigure.objects.filter(pk__in=pks[start : start + FETCH_CHUNK]).delete()
    MonthlyFigure.objects.bulk_create(replaced, batch_size=2000)
    return len(delta)


FETCH_CHUNK = 500
SCOPE_COLUMNS = KEY_COLUMNS[: KEY_COLUMNS.index("worker_id")]


def _rows_of(delta: dict[Key, Any]) -> dict[Key, MonthlyFigure]:
    """The existing roll-up rows of these keys. Fetched by the keys' scope (level, organisation, unit,
    municipality, county), measure and months, in chunks: the rows differing from the keys only in
    worker, key, since, until or value are few, and no other scope's or measure's rows are read."""
    months: dict[Key, set[date | None]] = defaultdict(set)
    for key in delta:
        columns = dict(zip(KEY_COLUMNS, key, strict=True))
        months[(*(columns[c] for c in SCOPE_COLUMNS), columns["measure"])].add(columns["month"])
    # One term per scope and measure; chunked so that a query carries at most about FETCH_CHUNK
    # parameters (SQLite limits them, and the depth of a WHERE clause).
    chunks: list[Q] = []
    size = FETCH_CHUNK
    for (*scope, measure), of_scope in months.items():
        term = Q(measure=measure)
        for column, value in zip(SCOPE_COLUMNS, scope, strict=True):
            term &= Q(**{f"{column}__isnull": True}) if value is None else Q(**{column: value})
        dated = sorted(month for month in of_scope if month is not None)
        parts = [
            (Q(month__in=dated[start : start + 100]), len(dated[start : start + 100]))
            for start in range(0, len(dated), 100)
        ]
        if None in of_scope:
            parts.append((Q(month__isnull=True), 0))
        for part, cost in parts:
            cost += len(SCOPE_COLUMNS) + 1
            if size + cost > FETCH_CHUNK:
                chunks.append(Q())
                size = 0
            chunks[-1] |= term & part
            size += cost
    found: dict[Key, MonthlyFigure] = {}
    for chunk in chunks:
        for row in MonthlyFigure.objects.filter(chunk):
            key = tuple(getattr(row, column) for column in KEY_COLUMNS)
            if key in delta:
                found[key] = row
    return found


def rebuild() -> int:
    """Recompute every roll-up from the facts (INSERT ... SELECT, on the database server)."""
    MonthlyFigure.objects.all().delete()
    table = connection.ops.quote_name(MonthlyFigure._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    selected = ", ".join(connection.ops.quote_name(f"r_{c}") for c in COLUMNS)
    keys = ", ".join(connection.ops.quote_name(f"r_{c}") for c in KEY_COLUMNS)
    n, amount = connection.ops.quote_name("r_n"), connection.ops.quote_name("r_amount")
    parts, params = [], []
    for index, query in enumerate(groupings(CaseFact.objects.all())):
        sql, query_params = query.query.sql_with_params()
        parts.append(f"SELECT {selected} FROM ({sql}) g{index}")  # noqa: S608 - column names from COLUMNS
        params += list(query_params)
    with connection.cursor() as cursor:
        # One statement: rows of the same key from different queries (the caseload's +1 and -1) summed,
        # written in the order the dashboard reads them (level, measure, month), so that a scope's rows of
        # a few months lie in a few pages of the table instead of one row in each of thousands.
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {keys}, SUM({n}), SUM({amount}) FROM "  # noqa: S608
            f"({' UNION ALL '.join(parts)}) u GROUP BY {keys} ORDER BY {keys}",
            params,
        )
    return MonthlyFigure.objects.count()
