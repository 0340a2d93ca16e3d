"""Reading the roll-ups for the dashboard: whether they answer a scope and period (`covers`), and the
funnel, sources, activity, outcomes, GAS, IPS, times and caseloads from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Q,
    Sum,
)

from polku.insights.models import CaseFact, MonthlyFigure
from polku.insights.periods import Period
from polku.insights.rollups.columns import (
    ACTIVITY_COLUMNS,
    RETENTION_DAYS,
    SCOPE_LEVELS,
    STEP_COLUMNS,
    WIDE_LEVELS,
)
from polku.insights.scopes import Scope


def level_of(scope: Scope) -> str | None:
    return SCOPE_LEVELS.get(scope.key.split(":", 1)[0])


def covers(scope: Scope, period: Period, wide: bool = False) -> bool:
    """Whether the roll-ups answer this scope and period (and the previous period); `wide` for the
    day-count histograms kept for the county and national levels only."""
    if not getattr(settings, "POLKU_INSIGHTS_ROLLUPS", True):
        return False
    level = level_of(scope)
    if level is None or (wide and level not in WIDE_LEVELS):
        return False
    return period.is_whole_months and period.previous().is_whole_months


def _first(day: date) -> date:
    return day.replace(day=1)


def _both(period: Period) -> list[tuple[str, Period]]:
    return [("now", period), ("before", period.previous())]


def _by_period(scope: Scope, measures: list[str], period: Period) -> dict[str, dict[str, int]]:
    """n by measure and key for the period and the previous one ({"now:activity": {...}, ...})."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    previous = period.previous()
    for measure, month, key, n in (
        MonthlyFigure.objects.filter(
            scope.q,
            level=level_of(scope),
            measure__in=measures,
            month__range=(previous.start, _first(period.end)),
        )
        .values_list("measure", "month", "key")
        .annotate(total=Sum("n"))
        .order_by()
    ):
        when = "now" if month >= period.start else "before"
        found[f"{when}:{measure}"][key] += n
    return found


def funnel(scope: Scope, period: Period) -> dict[str, int]:
    found = _by_period(scope, ["reached"], period)
    return {
        f"{when}_{key}": found[f"{when}:reached"][key]
        for when, _p in _both(period)
        for key, _c in STEP_COLUMNS
    }


def sources(scope: Scope, period: Period) -> dict[str, int]:
    return dict(
        MonthlyFigure.objects.filter(scope.q, level=level_of(scope), measure="source")
        .filter(month__range=(period.start, _first(period.end)))
        .values_list("key")
        .annotate(total=Sum("n"))
        .order_by()
    )


def _open(period: Period) -> Q:
    """Identified by the end of the period (a row without `since` is, by its month) and not closed
    before its start."""
    identified = Q(since__isnull=True) | Q(since__lte=_first(period.end))
    return identified & (Q(until__isnull=True) | Q(until__gte=period.start))


def scan(scope: Scope, period: Period, today: date, outcome_keys: Iterable[str]) -> dict[str, Any]:
    """`indicators.scan`'s counts (activity, closing outcomes, GAS, IPS outcomes) from the roll-ups."""
    found: dict[str, Any] = {}
    counts = _by_period(scope, ["activity", "outcome"], period)
    for when, _p in _both(period):
        for key, _c in ACTIVITY_COLUMNS:
            found[f"{when}_{key}"] = counts[f"{when}:activity"][key]
        for key in outcome_keys:
            found[f"outcome_{when}_{key}"] = counts[f"{when}:outcome"][key]
    found.update(_open_cases(scope, period, today))
    return found


def _open_cases(scope: Scope, period: Period, today: date) -> dict[str, Any]:
    """GAS and the IPS outcomes of the cases open during the period, in one query."""
    end = _first(period.end)
    gas: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    starts: dict[tuple[date, str], int] = defaultdict(int)
    in_ips = competitive = 0
    for measure, key, month, n, amount in (
        MonthlyFigure.objects.filter(scope.q, _open(period), level=level_of(scope))
        .filter(
            Q(measure="gas")
            | Q(measure="job", month__range=(period.start, end))
            | Q(measure__in=["ips", "competitive"], month__lte=end)
        )
        .values_list("measure", "key", "month")
        .annotate(total=Sum("n"), amount_total=Sum("amount"))
        .order_by()
    ):
        if measure == "gas":
            gas[key][0] += n
            gas[key][1] += amount
        elif measure == "job":
            starts[(month, key)] += n
        elif measure == "ips":
            in_ips += n
        else:
            competitive += n
    goals, met = gas["goals"]
    reviewed, _none_amount = gas["reviewed"]
    changed, change = gas["t_change"]
    old_enough = min(period.end, today) - timedelta(days=RETENTION_DAYS)
    due = kept = 0
    partial = period.start <= old_enough < period.end
    for (month, key), n in starts.items():
        if (month < _first(old_enough)) if partial else (month <= old_enough):
            due += n
            kept += n if key == "kept" else 0
    if partial:
        # The month the 90 days end in counts up to that day only: from the facts (indexed by job start).
        counted = (
            CaseFact.objects.filter(
                scope.q,
                identified_on__lte=period.end,
                job_started_on__range=(max(_first(old_enough), period.start), old_enough),
            )
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=period.start))
            .aggregate(
                due=Count("id"),
                kept=Count(
                    "id", filter=Q(first_job_days__isnull=True) | Q(first_job_days__gte=RETENTION_DAYS)
                ),
            )
        )
        due += counted["due"]
        kept += counted["kept"]
    return {
        "goals": goals,
        "met": round(met),
        "cases": reviewed,
        "change": change / changed if changed else None,
        "job_starts": sum(starts.values()),
        "job_in_ips": in_ips,
        "job_competitive": competitive,
        "job_due": due,
        "job_kept": kept,
    }


def day_stats(scope: Scope, period: Period, columns: Iterable[str]) -> dict[str, tuple[int, Any, Any]]:
    """n, median and 80th percentile of each day count of the period's cohort, from the histograms (the
    same interpolation as PostgreSQL's percentile_cont)."""
    histograms: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for measure, value, n in (
        MonthlyFigure.objects.filter(
            scope.q,
            level=level_of(scope),
            measure__in=[f"days:{column}" for column in columns],
            month__range=(period.start, _first(period.end)),
        )
        .values_list("measure", "value")
        .annotate(total=Sum("n"))
        .order_by("measure", "value")
    ):
        if n:
            histograms[measure.removeprefix("days:")].append((value, n))
    result = {}
    for column in columns:
        histogram = histograms.get(column, [])
        total = sum(n for _v, n in histogram)
        result[column] = (total, _percentile(histogram, total, 0.5), _percentile(histogram, total, 0.8))
    return result


def _percentile(histogram: list[tuple[int, int]], total: int, fraction: float) -> float | None:
    if not total:
        return None
    position = fraction * (total - 1)
    low_index = int(position)
    low = _at(histogram, low_index)
    high = _at(histogram, min(low_index + 1, total - 1))
    return low + (high - low) * (position - low_index)


def _at(histogram: list[tuple[int, int]], index: int) -> int:
    seen = 0
    for value, n in histogram:
        seen += n
        if index < seen:
            return value
    raise IndexError(index)


def caseload_sizes(scope: Scope, period: Period) -> list[int]:
    """How many of the scope's cases each personal worker had open at the end of the period."""
    return [
        n
        for _worker, n in MonthlyFigure.objects.filter(scope.q, level=level_of(scope))
        .filter(
            Q(measure="caseload_year", month__lt=period.end.replace(month=1, day=1))
            | Q(measure="caseload", month__range=(period.end.replace(month=1, day=1), _first(period.end)))
        )
        .values_list("worker_id")
        .annotate(total=Sum("n"))
        .order_by()
        if n > 0
    ]
