"""Hand-written SQL for the few reads every caseload and client overview request makes, through
Django's public cursor API (`connection.cursor()`).

Why: the ORM builds and compiles a query's SQL on every evaluation, which for the scoped reads of these
two pages costs 1 to 2.5 ms of CPU a query, several times what PostgreSQL needs to run it; the plain-ORM
pages served a third to a half of the requests the old code did (bench/README.md, "Plain Django
(issue 19)"). The same read written as SQL costs 0.1 to 0.3 ms. Everything else stays ORM: a read moves
here only when a measurement says it pays, and it keeps the disclosure rule of the ORM read it replaces
(`clients.access.Disclosers.sql`), tested on SQLite and PostgreSQL alike.

Write portable SQL: `%s` parameters, `in_list` for a list of values, column names as the migrations
make them, `"on"` and other reserved words quoted. SQLite hands back datetimes without a time zone
(`aware`; pass timestamps through `moment`) and EXISTS as 0/1 (`bool(...)`); both hand back JSON as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection


def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of one statement."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def in_list(values: Iterable[Any]) -> tuple[str, list[Any]]:
    """`IN (...)` placeholders for the values and the values themselves; `IN (NULL)`, which matches
    nothing, for none."""
    values = list(values)
    return ("(" + ", ".join(["%s"] * len(values)) + ")" if values else "(NULL)"), values


def moment(value: datetime) -> Any:
    """A timestamp as a parameter, as the ORM passes it (SQLite stores UTC without an offset)."""
    return connection.ops.adapt_datetimefield_value(value)


def aware(value: datetime) -> datetime:
    """A timestamp as the ORM reads it: stored in UTC, returned with its time zone."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
