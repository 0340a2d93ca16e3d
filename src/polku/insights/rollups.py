"""Monthly roll-ups of the case facts (`MonthlyFigure`), so that a dashboard over whole months reads a
few hundred rows per indicator whatever the number of cases (docs/architecture.md, "Knowledge-based
management"; bench/README.md has the figures).

What is summed, per level (organisation, unit, an organisation's clients in one municipality, county,
everything) and month:
- `reached`: the cases identified in the month that reached each step (the funnel), key = step;
- `source`: the cases identified in the month by source;
- `activity`: the steps taken in the month (key = the activity), `outcome`: the cases closed in the month
  by outcome;
- `gas`: per month identified (`since`) and closed (`until`), the GAS goals (n) and goals met (amount),
  the cases with two reviews (`reviewed`) and of them those with both T-scores (`t_change`: n, with the
  sum of their T-score change as amount);
- `job`: first job starts by month and `until` (and `since` when identified after the job start), key
  `kept` or `lost` (held 90 days or not); `ips` and `competitive`: by the month a case was both identified
  and in IPS (and had started competitive work), and `until`;
- `caseload`: per personal worker, +1 in the month a case was identified and -1 in the month it closed
  (or was identified, if later), so the sum of the months up to one is the worker's open cases at its end;
  `caseload_year` the same by year, so that sum reads the years before and the months of its own year;
- county and national levels only: `days:<column>` histograms of the day counts (exact medians and
  80th percentiles; below the county the scope's facts are few enough to sort).

Every roll-up is a sum, so the rows stay exact under corrections: `services.refresh` computes a batch's
contributions from its old facts and from its new facts with the same grouped queries and adds the
difference (`apply`), reading and rewriting only the rows of the keys it changes (not other
organisations' rows of the same months); `rebuild` recomputes everything with INSERT ... SELECT.
Small numbers are protected after summing, exactly as for the facts (`indicators`).

The dashboard reads the roll-ups when the scope has a level (not a personal worker's caseload) and the
period and the previous one are whole months (`covers`); otherwise, and for referrals, placements,
repeated measures and targets, it reads the facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Expression,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Greatest, TruncMonth, TruncYear

from polku.insights.models import CaseFact, MonthlyFigure, RollupLevel
from polku.insights.periods import Period
from polku.insights.scopes import Scope

RETENTION_DAYS = 90
STEP_COLUMNS = [
    ("identified", "identified_on"),
    ("first_contact", "first_contact_on"),
    ("assessment", "assessment_on"),
    ("plan", "plan_agreed_on"),
    ("referral", "referral_sent_on"),
    ("service", "service_started_on"),
    ("job", "job_started_on"),
    ("closed", "closed_on"),
]
ACTIVITY_COLUMNS = [
    ("cases_opened", "identified_on"),
    ("assessments", "assessment_on"),
    ("plans", "plan_agreed_on"),
    ("referrals", "referral_sent_on"),
    ("services", "service_started_on"),
    ("cases_closed", "closed_on"),
]
DAY_COLUMNS = ["days_to_contact", "days_to_plan", "days_to_service", "days_to_job"]
WIDE_LEVELS = (RollupLevel.COUNTY, RollupLevel.ALL)
# A roll-up row's columns, in the order every grouped query yields them.
COLUMNS = [
    "level",
    "organisation_id",
    "unit_id",
    "municipality",
    "county",
    "worker_id",
    "measure",
    "key",
    "month",
    "since",
    "until",
    "value",
    "n",
    "amount",
]
KEY_COLUMNS = COLUMNS[:-2]
LEVEL_DIMENSIONS: dict[str, list[str]] = {
    RollupLevel.ORGANISATION: ["organisation_id"],
    RollupLevel.UNIT: ["organisation_id", "unit_id"],
    RollupLevel.MUNICIPALITY: ["organisation_id", "municipality"],
    RollupLevel.COUNTY: ["county"],
    RollupLevel.ALL: [],
}
SCOPE_LEVELS: dict[str, str] = {
    "organisation": RollupLevel.ORGANISATION,
    "unit": RollupLevel.UNIT,
    "municipality": RollupLevel.MUNICIPALITY,
    "county": RollupLevel.COUNTY,
    "all": RollupLevel.ALL,
}

Key = tuple[Any, ...]


# Writing ---------------------------------------------------------------------------------------------


def _month(expression: Any) -> Expression:
    return TruncMonth(expression, output_field=DateField())


def _none(field: Any) -> Expression:
    # Typed, so that INSERT ... SELECT from the grouped query gets the column's type on PostgreSQL.
    return Cast(Value(None), output_field=field)


def _grouped(facts: QuerySet[CaseFact], level: str, measure: str, **columns: Any) -> QuerySet[Any]:
    """One grouped query: the facts summed by the level's scope columns and `columns` (expressions for
    worker_id, key, month, since, until, value; n and amount are the aggregates)."""
    dimensions = LEVEL_DIMENSIONS[level]
    expressions: dict[str, Any] = {
        "r_level": Value(level, output_field=CharField()),
        "r_organisation_id": F("organisation_id")
        if "organisation_id" in dimensions
        else _none(IntegerField()),
        "r_unit_id": F("unit_id") if "unit_id" in dimensions else _none(IntegerField()),
        "r_municipality": F("municipality") if "municipality" in dimensions else Value(""),
        "r_county": F("county") if "county" in dimensions else Value(""),
        "r_worker_id": columns.pop("worker_id", _none(IntegerField())),
        "r_measure": Value(measure, output_field=CharField()),
        "r_key": columns.pop("key", Value("")),
        "r_month": columns.pop("month", _none(DateField())),
        "r_since": columns.pop("since", _none(DateField())),
        "r_until": columns.pop("until", _none(DateField())),
        "r_value": columns.pop("value", _none(IntegerField())),
    }
    n = columns.pop("n", Count("id"))
    amount = columns.pop("amount", Value(0.0, output_field=FloatField()))
    assert not columns, columns
    names = list(expressions)
    return (
        facts.annotate(**expressions)
        .values(*names)
        .annotate(r_n=n, r_amount=amount)
        .values_list(*names, "r_n", "r_amount")
        .order_by()
    )


def groupings(facts: QuerySet[CaseFact]) -> list[QuerySet[Any]]:
    """Every grouped query whose rows are the roll-ups of these facts (the two of `caseload` give rows
    with the same key, summed by `contributions` and `rebuild`)."""
    open_ = {"since": _month("identified_on"), "until": _month("closed_on")}
    queries = []
    for level in LEVEL_DIMENSIONS:
        for key, column in STEP_COLUMNS:
            queries.append(
                _grouped(
                    facts.filter(**{f"{column}__isnull": False}),
                    level,
                    "reached",
                    key=Value(key),
                    month=_month("identified_on"),
                )
            )
        queries.append(_grouped(facts, level, "source", key=F("source"), month=_month("identified_on")))
        for key, column in ACTIVITY_COLUMNS:
            queries.append(
                _grouped(
                    facts.filter(**{f"{column}__isnull": False}),
                    level,
                    "activity",
                    key=Value(key),
                    month=_month(column),
                )
            )
        queries.append(
            _grouped(
                facts.filter(closed_on__isnull=False),
                level,
                "outcome",
                key=F("outcome"),
                month=_month("closed_on"),
            )
        )
        queries.append(
            _grouped(
                facts.filter(gas_goals__gt=0),
                level,
                "gas",
                key=Value("goals"),
                n=Sum("gas_goals"),
                amount=Sum(F("gas_goals_met"), output_field=FloatField()),
                **open_,
            )
        )
        queries.append(
            _grouped(facts.filter(gas_reviews__gte=2), level, "gas", key=Value("reviewed"), **open_)
        )
        queries.append(
            _grouped(
                facts.filter(gas_reviews__gte=2, t_score_first__isnull=False, t_score_latest__isnull=False),
                level,
                "gas",
                key=Value("t_change"),
                amount=Sum(F("t_score_latest") - F("t_score_first")),
                **open_,
            )
        )
        kept = Q(first_job_days__isnull=True) | Q(first_job_days__gte=RETENTION_DAYS)
        queries.append(
            _grouped(
                facts.filter(job_started_on__isnull=False),
                level,
                "job",
                key=Case(When(kept, then=Value("kept")), default=Value("lost"), output_field=CharField()),
                month=_month("job_started_on"),
                # The month identified only when after the job start (else implied by it): fewer rows.
                since=Case(
                    When(identified_on__gt=F("job_started_on"), then=_month("identified_on")),
                    default=_none(DateField()),
                    output_field=DateField(),
                ),
                until=_month("closed_on"),
            )
        )
        # In IPS by a month's end: identified and entered by then (the later of the two months).
        entered = Greatest("identified_on", "ips_entered_on")
        queries.append(
            _grouped(
                facts.filter(ips_entered_on__isnull=False),
                level,
                "ips",
                month=_month(entered),
                until=_month("closed_on"),
            )
        )
        queries.append(
            _grouped(
                facts.filter(ips_entered_on__isnull=False, competitive_job_on__isnull=False),
                level,
                "competitive",
                month=_month(Greatest("identified_on", "ips_entered_on", "competitive_job_on")),
                until=_month("closed_on"),
            )
        )
        working = facts.filter(worker_id__isnull=False)
        # The same by year ("caseload_year"), so that a month's open cases read the years before its own
        # and the months of its year: a few rows per worker instead of one per month since the start.
        for measure, trunc in (("caseload", TruncMonth), ("caseload_year", TruncYear)):
            queries.append(
                _grouped(
                    working,
                    level,
                    measure,
                    worker_id=F("worker_id"),
                    month=trunc("identified_on", output_field=DateField()),
                )
            )
            queries.append(
                _grouped(
                    working.filter(closed_on__isnull=False),
                    level,
                    measure,
                    worker_id=F("worker_id"),
                    month=trunc(Greatest("identified_on", "closed_on"), output_field=DateField()),
                    n=Count("id") * -1,
                )
            )
        if level not in WIDE_LEVELS:
            continue
        for column in DAY_COLUMNS:
            queries.append(
                _grouped(
                    facts.filter(**{f"{column}__isnull": False}),
                    level,
                    f"days:{column}",
                    month=_month("identified_on"),
                    value=F(column),
                )
            )
    return queries


def contributions(facts: QuerySet[CaseFact]) -> dict[Key, list[float]]:
    """The roll-up rows of these facts (key columns -> [n, amount]), summed in Python."""
    found: dict[Key, list[float]] = defaultdict(lambda: [0, 0.0])
    for query in groupings(facts):
        for row in query:
            key = tuple(_normal(value) for value in row[:-2])
            found[key][0] += row[-2] or 0
            found[key][1] += row[-1] or 0.0
    return found


def _normal(value: Any) -> Any:
    # SQLite returns the truncated months as text.
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    return value


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


# Reading ---------------------------------------------------------------------------------------------


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
