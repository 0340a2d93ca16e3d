"""The work itself: personal workers' caseloads and the organisation's targets with their pace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from polku.insights import disclosure, rollups
from polku.insights.disclosure import Cell
from polku.insights.indicators.base import Row
from polku.insights.indicators.path import ACTIVITY, TARGETABLE
from polku.insights.models import CaseFact, Target
from polku.insights.periods import Period
from polku.insights.scopes import Scope

BUCKETS = [(0, 9, "0–9"), (10, 19, "10–19"), (20, 29, "20–29"), (30, None, "30+")]


def caseload(scope: Scope, period: Period) -> tuple[list[Row], Cell]:
    """Personal workers by how many of the scope's cases they had open at the end of the period."""
    if rollups.covers(scope, period):
        sizes = rollups.caseload_sizes(scope, period)
    else:
        open_at_end = (
            CaseFact.objects.filter(scope.q, identified_on__lte=period.end, worker_id__isnull=False)
            .exclude(closed_on__lte=period.end)
            .values_list("worker_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        sizes = [n for _worker, n in open_at_end]
    counts = [sum(1 for n in sizes if low <= n and (high is None or n <= high)) for low, high, _l in BUCKETS]
    cells, total = disclosure.protect_list(counts)
    return [Row(label, cell, key=label) for (_l, _h, label), cell in zip(BUCKETS, cells, strict=True)], total


@dataclass
class Progress:
    target: Target
    label: Any
    done: Cell
    share: float | None
    expected: float
    pace_per_month: float | None


def targets(scope: Scope, period: Period, today: date) -> list[Progress]:
    """The scope organisation's targets whose period overlaps the chosen one, with progress so far and
    the monthly pace still needed."""
    if scope.organisation_id is None:
        return []
    found = list(
        Target.objects.filter(
            organisation_id=scope.organisation_id, starts_on__lte=period.end, ends_on__gte=period.start
        )
    )
    if not found:
        return []
    names = {key: name for key, name, _label in ACTIVITY}
    aggregates = {
        f"t{target.pk}": Count(
            "id",
            filter=Q(**{f"{names[target.indicator]}__range": (target.starts_on, min(target.ends_on, today))}),
        )
        for target in found
        if target.indicator in names
    }
    counts = (
        CaseFact.objects.filter(Q(organisation_id=scope.organisation_id)).aggregate(**aggregates)
        if aggregates
        else {}
    )
    progress = []
    for target in found:
        done = counts.get(f"t{target.pk}", 0)
        span = Period("custom", target.starts_on, target.ends_on)
        months_left = max(((target.ends_on - max(today, target.starts_on)).days + 1) / 30.44, 0)
        remaining = max(target.value - done, 0)
        progress.append(
            Progress(
                target,
                TARGETABLE.get(target.indicator, target.indicator),
                disclosure.protect_values([done])[0],
                done / target.value if target.value and disclosure.enough(done) else None,
                span.elapsed_share(today),
                remaining / months_left if months_left >= 1 else None,
            )
        )
    return progress
