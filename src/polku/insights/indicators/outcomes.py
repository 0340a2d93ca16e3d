"""Outcomes: how cases closed, GAS goal attainment, the IPS outcomes (job starts, competitive employment,
90-day retention) and the repeated measures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Avg, Count, F, Q, Sum

from polku.clients.models import CaseOutcome
from polku.insights import disclosure, rollups
from polku.insights.disclosure import Cell
from polku.insights.indicators.base import RETENTION_DAYS, Row, active, both
from polku.insights.models import CaseFact, MeasureFact
from polku.insights.periods import Period
from polku.insights.scopes import Scope


def outcome_aggregates(period: Period) -> dict[str, Any]:
    return {
        f"outcome_{when}_{value}": Count("id", filter=Q(outcome=value, closed_on__range=(p.start, p.end)))
        for when, p in both(period)
        for value, _label in CaseOutcome.choices
    }


def outcomes(scope: Scope, period: Period, found: dict[str, Any] | None = None) -> tuple[list[Row], Cell]:
    if found is None:
        found = CaseFact.objects.filter(
            scope.q, closed_on__range=(period.previous().start, period.end)
        ).aggregate(**outcome_aggregates(period))
    choices = list(CaseOutcome.choices)
    cells, total = disclosure.protect_list([found[f"outcome_now_{value}"] for value, _label in choices])
    earlier, _total = disclosure.protect_list([found[f"outcome_before_{value}"] for value, _label in choices])
    rows = [
        Row(label, cell, prev, disclosure.rate(cell, total), value)
        for (value, label), cell, prev in zip(choices, cells, earlier, strict=True)
    ]
    return rows, total


def _still_open(period: Period) -> Q:
    """`active`'s condition beside `identified_on <= period.end`: not closed before the period."""
    return Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)


def jobs_aggregates(period: Period, today: date) -> dict[str, Any]:
    old_enough = min(period.end, today) - timedelta(days=RETENTION_DAYS)
    open_ = _still_open(period)
    in_ips = open_ & Q(ips_entered_on__lte=period.end)
    due = open_ & Q(job_started_on__range=(period.start, old_enough))
    kept = Q(first_job_days__isnull=True) | Q(first_job_days__gte=RETENTION_DAYS)
    return {
        "job_starts": Count("id", filter=open_ & Q(job_started_on__range=(period.start, period.end))),
        "job_in_ips": Count("id", filter=in_ips),
        "job_competitive": Count("id", filter=in_ips & Q(competitive_job_on__lte=period.end)),
        "job_due": Count("id", filter=due),
        "job_kept": Count("id", filter=due & kept),
    }


def jobs(scope: Scope, period: Period, today: date, found: dict[str, Any] | None = None) -> dict[str, Any]:
    """IPS outcomes (IPS.md): first job starts in the period; the competitive employment rate (of the
    cases in IPS during the period, those who had started competitive work by its end); 90-day retention
    (of the first job starts in the period at least 90 days before its end or today, those held 90 days)."""
    if found is None:
        found = active(scope, period).aggregate(**jobs_aggregates(period, today))
    starts = disclosure.protect_values([found["job_starts"]])[0]
    # Each rate with its complement, so that neither part can be worked out from the total.
    (competitive, _other), in_ips_total = disclosure.protect_list(
        [found["job_competitive"], found["job_in_ips"] - found["job_competitive"]]
    )
    (kept_cell, _lost), due = disclosure.protect_list(
        [found["job_kept"], found["job_due"] - found["job_kept"]]
    )
    return {
        "starts": starts,
        "in_ips": in_ips_total,
        "competitive": competitive,
        "competitive_rate": disclosure.rate(competitive, in_ips_total),
        "retention_due": due,
        "retained": kept_cell,
        "retention_rate": disclosure.rate(kept_cell, due),
    }


def gas_aggregates(period: Period) -> dict[str, Any]:
    open_ = _still_open(period)
    reviewed = open_ & Q(gas_reviews__gte=2)
    return {
        "goals": Sum("gas_goals", filter=open_),
        "met": Sum("gas_goals_met", filter=open_),
        "cases": Count("id", filter=reviewed),
        "change": Avg(F("t_score_latest") - F("t_score_first"), filter=reviewed),
    }


def gas(scope: Scope, period: Period, found: dict[str, Any] | None = None) -> dict[str, Any]:
    if found is None:
        found = CaseFact.objects.filter(scope.q, identified_on__lte=period.end).aggregate(
            **gas_aggregates(period)
        )
    goals = disclosure.protect_values([found["goals"] or 0])[0]
    met = disclosure.protect_values([found["met"] or 0])[0]
    return {
        "goals": goals,
        "share": disclosure.rate(met, goals),
        "cases": found["cases"],
        "t_change": found["change"] if disclosure.enough(found["cases"]) else None,
    }


def measures(scope: Scope, period: Period) -> list[dict[str, Any]]:
    rows = []
    found: list[tuple[str, int, float, float]]
    if rollups.covers(scope, period):
        summed = rollups.sums(scope, period, ["score_first", "score_latest"], open_=True)
        latest_sums = {key: amount for key, _n, amount in summed["score_latest"]}
        found = [(code, n, first / n, latest_sums[code] / n) for code, n, first in summed["score_first"] if n]
    else:
        found = list(
            MeasureFact.objects.filter(fact__in=active(scope, period), responses__gte=2)
            .values_list("instrument")
            .annotate(n=Count("id"), first=Avg("first_score"), latest=Avg("latest_score"))
            .order_by("instrument")
        )
    for code, n, first, latest in found:
        shown = disclosure.enough(n)
        rows.append(
            {
                "instrument": code,
                "n": disclosure.protect_values([n])[0],
                "first": first if shown else None,
                "latest": latest if shown else None,
                "change": (latest - first) if shown else None,
            }
        )
    return rows
