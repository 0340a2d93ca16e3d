"""Computing the indicators (`definitions.py` says what each means) for a scope and a period from the
per-case facts, protected by `disclosure` before anything leaves this module: a view, an export or the
API gets `Cell`s, rates and statistics that may be shown, never raw small counts.

Each group is one or two aggregate queries over indexed fact rows, whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.utils.translation import gettext_lazy as _

from polku.clients.models import CaseOutcome, CaseSource
from polku.core.names import in_reader_language
from polku.insights import disclosure
from polku.insights.disclosure import Cell
from polku.insights.models import CaseFact, MeasureFact, ServiceFact, ServiceKind, Target
from polku.insights.periods import Period
from polku.insights.scopes import Scope
from polku.network.models import Provider, ReferralStatus
from polku.placements.models import PlacementKind

# Job starts come from the employment (IPS) app (`facts.job_start_dates`).
JOB_STARTS_MEASURED = True
RETENTION_DAYS = 90

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
REFERRAL_TIMES = [
    ("days_to_answer", _("Referral sent → answered")),
    ("days_to_start", _("Referral sent → service started")),
]
BUCKETS = [(0, 9, "0–9"), (10, 19, "10–19"), (20, 29, "20–29"), (30, None, "30+")]


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


def _both(period: Period) -> list[tuple[str, Period]]:
    return [("now", period), ("before", period.previous())]


def funnel(scope: Scope, period: Period) -> list[Row]:
    # Both periods' cohorts in one scan (bench/insights.py).
    previous = period.previous()
    found = CaseFact.objects.filter(scope.q, identified_on__range=(previous.start, period.end)).aggregate(
        **{
            f"{when}_{key}": Count(
                "id", filter=Q(identified_on__range=(p.start, p.end), **{f"{name}__isnull": False})
            )
            for when, p in _both(period)
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
    found = dict(cohort(scope, period).values_list("source").annotate(n=Count("id")).order_by())
    choices = list(CaseSource.choices)
    cells, total = disclosure.protect_list([found.get(value, 0) for value, _label in choices])
    return [Row(label, cell, key=value) for (value, label), cell in zip(choices, cells, strict=True)], total


def _activity_aggregates(period: Period) -> dict[str, Any]:
    return {
        f"{when}_{key}": Count("id", filter=Q(**{f"{name}__range": (p.start, p.end)}))
        for when, p in _both(period)
        for key, name, _l in ACTIVITY
    }


def scan(scope: Scope, period: Period, today: date) -> dict[str, Any]:
    """The counts of `activity`, `outcomes`, `gas` and `jobs` in one scan of the scope's facts identified
    by the end of the period (every step, closing included, comes on or after identification)."""
    return CaseFact.objects.filter(scope.q, identified_on__lte=period.end).aggregate(
        **_activity_aggregates(period),
        **_outcome_aggregates(period),
        **_gas_aggregates(period),
        **_jobs_aggregates(period, today),
    )


def activity(scope: Scope, period: Period, found: dict[str, Any] | None = None) -> list[Row]:
    # Every step happens on or after identification, so cases identified after the period cannot count.
    if found is None:
        found = CaseFact.objects.filter(scope.q, identified_on__lte=period.end).aggregate(
            **_activity_aggregates(period)
        )
    now = disclosure.protect_values([found[f"now_{key}"] for key, _n, _l in ACTIVITY])
    before = disclosure.protect_values([found[f"before_{key}"] for key, _n, _l in ACTIVITY])
    return [Row(label, now[i], before[i], key=key) for i, (key, _name, label) in enumerate(ACTIVITY)]


def _stats(queryset: QuerySet[Any], columns: list[tuple[str, Any]]) -> list[Stat]:
    if connection.vendor == "postgresql":
        aggregates: dict[str, Any] = {}
        for name, _label in columns:
            present = Q(**{f"{name}__isnull": False})
            aggregates[f"{name}_n"] = Count("id", filter=present)
            aggregates[f"{name}_median"] = Percentile(name, 0.5, filter=present)
            aggregates[f"{name}_p80"] = Percentile(name, 0.8, filter=present)
        found = queryset.aggregate(**aggregates)
        values = {
            name: (found[f"{name}_n"], found[f"{name}_median"], found[f"{name}_p80"]) for name, _l in columns
        }
    else:
        rows = list(queryset.values_list(*[name for name, _label in columns]))
        values = {}
        for index, (name, _label) in enumerate(columns):
            data = sorted(row[index] for row in rows if row[index] is not None)
            values[name] = (len(data), _percentile(data, 0.5), _percentile(data, 0.8))
    stats = []
    for name, label in columns:
        n, median, p80 = values[name]
        shown = disclosure.enough(n)
        stats.append(Stat(label, n, median if shown else None, p80 if shown else None))
    return stats


def _percentile(data: list[int], fraction: float) -> float | None:
    """percentile_cont over sorted data (the same interpolation as PostgreSQL's)."""
    if not data:
        return None
    position = fraction * (len(data) - 1)
    low = int(position)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (position - low)


def times(scope: Scope, period: Period) -> list[Stat]:
    stats = _stats(cohort(scope, period), TIMES)
    referrals = ServiceFact.objects.filter(
        fact__in=CaseFact.objects.filter(scope.q),
        kind=ServiceKind.REFERRAL,
        sent_on__range=(period.start, period.end),
    )
    return stats + _stats(referrals, REFERRAL_TIMES)


def _referrals(scope: Scope, period: Period) -> QuerySet[ServiceFact]:
    return ServiceFact.objects.filter(
        fact__in=CaseFact.objects.filter(scope.q),
        kind=ServiceKind.REFERRAL,
        sent_on__range=(period.start, period.end),
    )


def referrals(scope: Scope, period: Period, category_names: dict[str, str]) -> TwoWay:
    """Referrals sent in the period: category x current status, with totals."""
    counts: dict[tuple[str, str], int] = {
        (category, status): n
        for category, status, n in _referrals(scope, period)
        .values_list("category", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    statuses = [s for s in ReferralStatus if s not in (ReferralStatus.DRAFT,)]
    categories = sorted({category for category, _status in counts}, key=lambda c: category_names.get(c, c))
    matrix = [[counts.get((c, s), 0) for s in statuses] for c in categories]
    if not matrix:
        zero = Cell(0, disclosure.SHOWN, disclosure.threshold())
        table = disclosure.Table(cells=[], row_totals=[], column_totals=[zero] * len(statuses), total=zero)
    else:
        table = disclosure.protect_table(matrix)
    return TwoWay([category_names.get(c, c) for c in categories], [s.label for s in statuses], table)


def closed_loop(scope: Scope, period: Period, by: str, names: dict[str, str] | None = None) -> list[Row]:
    """Share of referrals (cancelled ones excluded) at an end state, per category or provider. A provider
    (kept by its Finnish name) is named in the reader's language, in the same query."""
    rows = []
    found = (
        _referrals(scope, period)
        .exclude(status=ReferralStatus.CANCELLED)
        .values_list(by)
        .annotate(
            total=Count("id"),
            closed=Count("id", filter=Q(is_terminal=True)),
            name_sv=Subquery(
                Provider.objects.filter(name=OuterRef(by)).exclude(name_sv="").values("name_sv")[:1]
            )
            if by == "provider"
            else Value(""),
        )
        .order_by(by)
    )
    for key, total, closed, name_sv in found:
        denominator = disclosure.protect_values([total])[0]
        numerator = disclosure.protect_values([closed])[0]
        label = (names or {}).get(key, in_reader_language(key, name_sv or ""))
        rows.append(Row(label, denominator, share=disclosure.rate(numerator, denominator), key=key))
    return rows


def placements(scope: Scope, period: Period) -> TwoWay:
    started = ServiceFact.objects.filter(
        fact__in=CaseFact.objects.filter(scope.q),
        kind=ServiceKind.PLACEMENT,
        sent_on__range=(period.start, period.end),
    )
    statuses = [
        ("planned", _("Planned")),
        ("ongoing", _("Ongoing")),
        ("ended", _("Ended")),
        ("interrupted", _("Interrupted")),
    ]
    counts = {
        (kind, status): n
        for kind, status, n in started.values_list("placement_kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    kinds = list(PlacementKind.choices)
    matrix = [[counts.get((kind, status), 0) for status, _l in statuses] for kind, _label in kinds]
    totals = started.aggregate(
        present=Sum("days_present"),
        absent=Sum("days_absent"),
        feedback=Count("id", filter=Q(has_feedback=True)),
        n=Count("id"),
    )
    n = disclosure.protect_values([totals["n"]])[0]
    feedback = disclosure.protect_values([totals["feedback"]])[0]
    present, absent = totals["present"] or 0, totals["absent"] or 0
    days = disclosure.protect_values([present + absent])[0]
    extra = {
        "feedback_share": disclosure.rate(feedback, n),
        "attendance_share": disclosure.rate(disclosure.protect_values([present])[0], days),
    }
    return TwoWay(
        [label for _k, label in kinds],
        [label for _s, label in statuses],
        disclosure.protect_table(matrix),
        extra,
    )


def _outcome_aggregates(period: Period) -> dict[str, Any]:
    return {
        f"outcome_{when}_{value}": Count("id", filter=Q(outcome=value, closed_on__range=(p.start, p.end)))
        for when, p in _both(period)
        for value, _label in CaseOutcome.choices
    }


def outcomes(scope: Scope, period: Period, found: dict[str, Any] | None = None) -> tuple[list[Row], Cell]:
    if found is None:
        found = CaseFact.objects.filter(
            scope.q, closed_on__range=(period.previous().start, period.end)
        ).aggregate(**_outcome_aggregates(period))
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


def _jobs_aggregates(period: Period, today: date) -> dict[str, Any]:
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
        found = active(scope, period).aggregate(**_jobs_aggregates(period, today))
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


def _gas_aggregates(period: Period) -> dict[str, Any]:
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
            **_gas_aggregates(period)
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
    for code, n, first, latest in (
        MeasureFact.objects.filter(fact__in=active(scope, period), responses__gte=2)
        .values_list("instrument")
        .annotate(n=Count("id"), first=Avg("first_score"), latest=Avg("latest_score"))
        .order_by("instrument")
    ):
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


def caseload(scope: Scope, period: Period) -> tuple[list[Row], Cell]:
    """Personal workers by how many of the scope's cases they had open at the end of the period."""
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
