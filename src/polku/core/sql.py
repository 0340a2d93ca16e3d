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

Where a page needs model instances (its templates and rules read `case.unit.organisation`), select each
model's `columns` and build them with `instances`: Django's documented `Model.from_db`, the values
converted as the ORM reads them, and the related objects set through their public forward descriptors
by the caller (`case.unit = unit`).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, models


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


def param(model: type[models.Model], field_name: str, value: Any) -> Any:
    """A value of a model's field as a parameter, as the ORM passes it (a UUID is text on SQLite)."""
    return model._meta.get_field(field_name).get_db_prep_value(value, connection)  # type: ignore[union-attr]


@functools.cache
def columns(model: type[models.Model], alias: str) -> str:
    """The model's columns for a SELECT list, in the order `instances` reads them, qualified by the
    table's alias in the statement. Written once a model and alias: a client overview names about fifty
    column lists (0.2 ms of CPU a request when joined each time)."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def instances(row: Sequence[Any], *models_in_row: type[models.Model]) -> list[Any]:
    """One row of `columns(A, ...), columns(B, ...), ...` as an instance of each model in turn, built by
    `Model.from_db` with every field loaded (no deferred field to read later); None for a model whose
    primary key is NULL (a LEFT JOIN that found nothing)."""
    built: list[Any] = []
    start = 0
    alias = connection.alias  # read once: `connection` is a proxy with a lookup on every attribute
    for model in models_in_row:
        attnames, readers, pk_index = _readers(model)
        values = row[start : start + len(readers)]
        start += len(readers)
        if values[pk_index] is None:
            built.append(None)
            continue
        built.append(
            model.from_db(
                alias,
                attnames,
                [
                    value if value is None or type(value) is ready else read(value)
                    for (read, ready), value in zip(readers, values, strict=True)
                ],
            )
        )
    return built


@functools.cache
def _readers(model: type[models.Model]) -> tuple[list[str], list[tuple[Any, type | None]], int]:
    """The model's field names, for each column how `_as_read` reads it and the Python type it needs no
    reading in (a PostgreSQL text, number, boolean or date column; None: always read), and where the
    primary key is. Worked out once a model: a page builds hundreds of values, and `to_python` on each
    cost the caseload's 25 rows about half a millisecond (bench/README.md)."""
    fields = model._meta.concrete_fields
    return (
        [field.attname for field in fields],
        [(functools.partial(_as_read, field), _ready_type(field)) for field in fields],
        fields.index(model._meta.pk),
    )


def _ready_type(field: models.Field[Any, Any]) -> type | None:
    """The type of a value that `_as_read` would hand back unchanged for the field."""
    # A key reads as the key it points to.
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, models.JSONField | models.DateTimeField | models.DecimalField):
        return None
    for kind, python_type in (
        (models.BooleanField, bool),
        (models.IntegerField, int),
        (models.CharField, str),
        (models.TextField, str),
        (models.UUIDField, uuid.UUID),
        (models.DateField, date),
    ):
        if isinstance(target, kind):
            return python_type
    return None


def _as_read(field: models.Field[Any, Any], value: Any) -> Any:
    """A column's value as the ORM hands it to a model: JSON decoded, timestamps with their time zone,
    and the rest through the field's `to_python` (SQLite's UUIDs as text, booleans as 0/1)."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(value) if isinstance(value, str) else value
    if isinstance(field, models.DateTimeField):
        return aware(field.to_python(value))
    return field.to_python(value)
