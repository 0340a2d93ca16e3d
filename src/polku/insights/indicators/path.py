"""The client's path: the funnel (each step reached by the period's cohort), sources, the work done in
the period (activity) and the time between steps."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import CaseSource
from polku.insights import disclosure, rollups
from polku.insights.disclosure import Cell
from polku.insights.indicators.base import (
    JOB_STARTS_MEASURED,
    Row,
    Stat,
    both,
    cohort,
    day_values,
    stats,
)
from polku.insights.indicators.referrals import referral_times
from polku.insights.models import CaseFact
from polku.insights.periods import Period
from polku.insights.scopes import Scope

STEPS = [
    ("identified", "identified_on", _("Identified (case opened)")),
    ("first_contact", "first_contact_on", _("First contact")),
    ("assessment", "assessment_on", _("Assessment concluded")),
    ("plan", "plan_agreed_on", _("First plan agreed")),
    ("referral", "referral_sent_on", _("First referral sent")),
    ("service", "service_started_on", _("First service or placement started")),
    ("job", "job_started_on", _("Job start")),
    ("closed", "closed_on", _("Case closed")),
]
ACTIVITY = [
    ("cases_opened", "identified_on", _("Cases opened")),
    ("assessments", "assessment_on", _("Assessments concluded")),
    ("plans", "plan_agreed_on", _("Plans agreed for the first time")),
    ("referrals", "referral_sent_on", _("Cases with a first referral sent")),
    ("services", "service_started_on", _("Cases with a first service started")),
    ("cases_closed", "closed_on", _("Cases closed")),
]
TARGETABLE = {key: label for key, _field, label in ACTIVITY}
TIMES = [
    ("days_to_contact", _("Identification → first contact")),
    ("days_to_plan", _("Identification → first agreed plan")),
    ("days_to_service", _("Identification → first service")),
    ("days_to_job", _("Identification → first job start")),
]


def funnel(scope: Scope, period: Period) -> list[Row]:
    if rollups.covers(scope, period):
        found = rollups.funnel(scope, period)
    else:
        # Both periods' cohorts in one scan (bench/insights.py).
        previous = period.previous()
        found = CaseFact.objects.filter(scope.q, identified_on__range=(previous.start, period.end)).aggregate(
            **{
                f"{when}_{key}": Count(
                    "id", filter=Q(identified_on__range=(p.start, p.end), **{f"{name}__isnull": False})
                )
                for when, p in both(period)
                for key, name, _label in STEPS
            }
        )
    now = disclosure.protect_values([found[f"now_{key}"] for key, _n, _l in STEPS])
    before = disclosure.protect_values([found[f"before_{key}"] for key, _n, _l in STEPS])
    rows = []
    for index, (key, _name, label) in enumerate(STEPS):
        share = disclosure.rate(now[index], now[index - 1]) if index else None
        if key == "job" and not JOB_STARTS_MEASURED:
            rows.append(Row(label, now[index], None, None, key))
            continue
        rows.append(Row(label, now[index], before[index], share, key))
    return rows


def sources(scope: Scope, period: Period) -> tuple[list[Row], Cell]:
    if rollups.covers(scope, period):
        found = rollups.sources(scope, period)
    else:
        found = dict(cohort(scope, period).values_list("source").annotate(n=Count("id")).order_by())
    choices = list(CaseSource.choices)
    cells, total = disclosure.protect_list([found.get(value, 0) for value, _label in choices])
    return [Row(label, cell, key=value) for (value, label), cell in zip(choices, cells, strict=True)], total


def activity_aggregates(period: Period) -> dict[str, Any]:
    return {
        f"{when}_{key}": Count("id", filter=Q(**{f"{name}__range": (p.start, p.end)}))
        for when, p in both(period)
        for key, name, _l in ACTIVITY
    }


def activity(scope: Scope, period: Period, found: dict[str, Any] | None = None) -> list[Row]:
    # Every step happens on or after identification, so cases identified after the period cannot count.
    if found is None:
        found = CaseFact.objects.filter(scope.q, identified_on__lte=period.end).aggregate(
            **activity_aggregates(period)
        )
    now = disclosure.protect_values([found[f"now_{key}"] for key, _n, _l in ACTIVITY])
    before = disclosure.protect_values([found[f"before_{key}"] for key, _n, _l in ACTIVITY])
    return [Row(label, now[i], before[i], key=key) for i, (key, _name, label) in enumerate(ACTIVITY)]


def times(scope: Scope, period: Period) -> list[Stat]:
    names = [name for name, _label in TIMES]
    if rollups.covers(scope, period):
        values = rollups.day_stats(scope, period, names)
    else:
        values = day_values(cohort(scope, period), names)
    return stats(values, TIMES) + referral_times(scope, period)
