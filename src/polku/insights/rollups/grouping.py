"""The grouped queries whose rows are the roll-ups of a set of facts (`groupings`), and their sums in
Python (`contributions`), which the refresh compares before and after a batch."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

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

from polku.insights.models import CaseFact
from polku.insights.rollups.columns import (
    ACTIVITY_COLUMNS,
    DAY_COLUMNS,
    LEVEL_DIMENSIONS,
    RETENTION_DAYS,
    STEP_COLUMNS,
    WIDE_LEVELS,
    Key,
)

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
