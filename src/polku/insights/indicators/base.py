"""What every indicator group shares: the rows it returns (already protected by `disclosure`), the
cohorts of facts it counts and the medians and percentiles of day counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q, QuerySet

from polku.insights import disclosure
from polku.insights.disclosure import Cell
from polku.insights.models import CaseFact
from polku.insights.periods import Period
from polku.insights.scopes import Scope

# Job starts come from the employment (IPS) app (`facts.job_start_dates`).
JOB_STARTS_MEASURED = True
RETENTION_DAYS = 90


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont (the median at 0.5)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=fraction, **extra)


def cohort(scope: Scope, period: Period) -> QuerySet[CaseFact]:
    return CaseFact.objects.filter(scope.q, identified_on__range=(period.start, period.end))


def active(scope: Scope, period: Period) -> QuerySet[CaseFact]:
    return CaseFact.objects.filter(scope.q, identified_on__lte=period.end).exclude(closed_on__lt=period.start)


def both(period: Period) -> list[tuple[str, Period]]:
    return [("now", period), ("before", period.previous())]


@dataclass
class Row:
    label: Any
    cell: Cell
    previous: Cell | None = None
    share: float | None = None  # of the row before (funnel) or of the total
    key: str = ""

    @property
    def change(self) -> int | None:
        return disclosure.change(self.cell, self.previous) if self.previous is not None else None


@dataclass
class Stat:
    label: Any
    n: int
    median: float | None
    p80: float | None


@dataclass
class TwoWay:
    rows: list[Any]
    columns: list[Any]
    table: disclosure.Table
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def lines(self) -> list[tuple[Any, list[Cell], Cell]]:
        return list(zip(self.rows, self.table.cells, self.table.row_totals, strict=True))


def day_values(queryset: QuerySet[Any], names: list[str]) -> dict[str, tuple[int, Any, Any]]:
    """n, median and 80th percentile of each day count column of these facts."""
    if connection.vendor == "postgresql":
        aggregates: dict[str, Any] = {}
        for name in names:
            present = Q(**{f"{name}__isnull": False})
            aggregates[f"{name}_n"] = Count("id", filter=present)
            aggregates[f"{name}_median"] = Percentile(name, 0.5, filter=present)
            aggregates[f"{name}_p80"] = Percentile(name, 0.8, filter=present)
        found = queryset.aggregate(**aggregates)
        return {name: (found[f"{name}_n"], found[f"{name}_median"], found[f"{name}_p80"]) for name in names}
    rows = list(queryset.values_list(*names))
    values = {}
    for index, name in enumerate(names):
        data = sorted(row[index] for row in rows if row[index] is not None)
        values[name] = (len(data), percentile(data, 0.5), percentile(data, 0.8))
    return values


def stats(values: dict[str, tuple[int, Any, Any]], columns: list[tuple[str, Any]]) -> list[Stat]:
    """The statistics as shown: a median or percentile only over enough cases."""
    result = []
    for name, label in columns:
        n, median, p80 = values[name]
        shown = disclosure.enough(n)
        result.append(Stat(label, n, median if shown else None, p80 if shown else None))
    return result


def percentile(data: list[int], fraction: float) -> float | None:
    """percentile_cont over sorted data (the same interpolation as PostgreSQL's)."""
    if not data:
        return None
    position = fraction * (len(data) - 1)
    low = int(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)
