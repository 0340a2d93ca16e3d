"""Queries whose SQL is built and compiled once per process, for the pages every request runs.

Django builds a query's tree and compiles it to SQL afresh on every evaluation: for the joins and
subqueries of a caseload or client overview query that costs milliseconds of Python, several times
what PostgreSQL needs to run it (bench/README.md). `compiled(build)` turns a function that builds a
queryset from its parameters into one that builds and compiles it once for each shape of the
parameters, and afterwards only runs the finished SQL with the new values, turning rows into objects
the way the queryset itself would (select_related, annotations, values_list).

    @compiled
    def _open_alerts(case_ids: list[int]) -> QuerySet[SafetyAlert]:
        return SafetyAlert.objects.filter(case__in=case_ids, acknowledged_at__isnull=True)

    alerts = _open_alerts(case_ids=[1, 2, 3])   # a list: the rows, evaluated at once

How the parameters are found in the SQL: the queryset is compiled twice with made-up values of the
parameters' types (sentinels) and every position of the compiled parameters is matched to the
sentinel it came from. Anything else that differs between the two compiles (a value derived from a
parameter, `timezone.now()` read inside `build`) is refused when the query is first compiled, as is a
`build` that closes over variables: every value that changes between requests must be a parameter.
Values that change the SQL itself (None, booleans, the length of a list, and any value passed as
`Shape(value)`, such as a sort order or a filter's choice) are part of the shape, so each gets its
own compiled query; `build` receives a `Shape`'s value itself. The compiled queries are remembered
per database connection alias and per day (a date read inside `build`, as
`Consent.objects.valid_on()` does, is a constant until midnight) and forgotten when settings change
(tests).
"""

from __future__ import annotations

import functools
import itertools
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

_ALL: list[Compiled] = []


@dataclass(frozen=True)
class Shape:
    """A parameter that selects the query's structure (a sort order, which filter applies): each value
    is compiled separately and passed to `build` as it is. Use only for values from a short, fixed list."""

    value: Any


@dataclass(frozen=True)
class _Slot:
    """Where a parameter (or one item of a list parameter) goes in the compiled parameters."""

    position: int
    name: str
    index: int | None  # the item of a list parameter
    convert: Callable[[Any], Any]


@dataclass(frozen=True)
class _Prepared:
    sql: str
    constants: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    queryset: QuerySet[Any, Any]
    compiler: Any
    converters: dict[int, Any]

    def params(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.constants)
        for slot in self.slots:
            value = values[slot.name] if slot.index is None else values[slot.name][slot.index]
            params[slot.position] = slot.convert(value)
        return params


class _Sentinels:
    """Made-up values, unlike any real one, that can be told apart after Django has prepared them.

    The two compiles count in different steps (1 and 2), so that a value derived from a parameter by an
    offset (`start + timedelta(days=1)`) never equals another parameter's sentinel in both."""

    def __init__(self, seed: int) -> None:
        self.counter = itertools.count(seed * 10_000, seed)

    def make(self, like: Any) -> Any:
        n = next(self.counter)
        if isinstance(like, Shape):
            return like.value
        if isinstance(like, bool) or like is None:
            return like  # part of the shape
        if isinstance(like, int):
            # Within the range of every integer column (smallint: 32767): Django drops a comparison with
            # a value outside the column's range from the SQL on PostgreSQL (EmptyResultSet/FullResultSet).
            return n
        if isinstance(like, str):
            return f"\ue000polku-parameter-{n}\ue001"
        if isinstance(like, datetime):
            return datetime(1901, 1, 1, tzinfo=like.tzinfo) + timedelta(seconds=n + 1)
        if isinstance(like, date):
            return date(1001, 1, 1) + timedelta(days=n + 1)
        if isinstance(like, uuid.UUID):
            return uuid.UUID(int=(0xE000 << 112) + n + 1)
        raise ImproperlyConfigured(f"compiled(): a parameter of type {type(like).__name__} is not supported.")


def _shape(values: dict[str, Any]) -> tuple[Any, ...]:
    shape: list[tuple[Any, ...]] = []
    for name in sorted(values):
        value = values[name]
        if isinstance(value, (list, tuple)):
            kinds = tuple(_kind(item) for item in value)
            shape.append((name, "list", kinds))
        else:
            shape.append((name, _kind(value)))
    return tuple(shape)


def _kind(value: Any) -> Any:
    if value is None or isinstance(value, (bool, Shape)):
        return value
    return type(value).__name__


class Compiled:
    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        if getattr(build, "__closure__", None) or hasattr(build, "__self__"):
            raise ImproperlyConfigured(
                f"compiled(): {build.__qualname__} closes over variables; pass every value as a parameter."
            )
        self.build = build
        self._prepared: dict[tuple[Any, ...], _Prepared] = {}
        self._lock = threading.Lock()
        functools.update_wrapper(self, build)
        _ALL.append(self)

    def __call__(self, *args: Any, **values: Any) -> list[Any]:
        if args:
            raise TypeError("compiled queries take keyword arguments only")
        using = DEFAULT_DB_ALIAS
        key = (using, timezone.localdate(), _shape(values))
        prepared = self._prepared.get(key)
        if prepared is None:
            with self._lock:
                try:
                    prepared = self._prepared.get(key) or self._prepare(values, using)
                except EmptyResultSet:
                    # Nothing can match (an empty list for `__in`): the queryset itself runs no query.
                    plain = {k: v.value if isinstance(v, Shape) else v for k, v in values.items()}
                    return list(self.build(**plain))
                self._prepared = {k: v for k, v in self._prepared.items() if k[1] == key[1]}
                self._prepared[key] = prepared
        return list(_run(prepared, prepared.params(values)))

    def forget(self) -> None:
        self._prepared = {}

    def _prepare(self, values: dict[str, Any], using: str) -> _Prepared:
        connection = connections[using]
        runs = []
        for seed in (1, 2):
            sentinels = _Sentinels(seed)
            fake = {
                name: [sentinels.make(item) for item in value]
                if isinstance(value, (list, tuple))
                else sentinels.make(value)
                for name, value in values.items()
            }
            queryset = self.build(**fake)
            compiler = queryset.query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            runs.append((fake, queryset, compiler, sql, tuple(params)))
        (fake1, queryset, compiler, sql1, params1), (fake2, _, _, sql2, params2) = runs
        name = self.build.__qualname__
        shapes = {key for key, value in values.items() if isinstance(value, Shape)}
        if sql1 != sql2 or len(params1) != len(params2):
            raise ImproperlyConfigured(f"compiled(): the SQL of {name} changes with its parameters' values.")
        slots = []
        for position, (first, second) in enumerate(zip(params1, params2, strict=True)):
            slot = _find_slot(position, first, second, fake1, fake2, shapes, connection)
            if slot is not None:
                slots.append(slot)
            elif first != second:
                raise ImproperlyConfigured(
                    f"compiled(): parameter {position} of {name} is derived from the parameters or read "
                    "inside the function; compute it outside and pass it as a parameter."
                )
        # What turns the columns into Python values depends on the SQL alone: found once here.
        columns = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        return _Prepared(sql1, params1, tuple(slots), queryset, compiler, compiler.get_converters(columns))


def _find_slot(
    position: int,
    first: Any,
    second: Any,
    fake1: dict[str, Any],
    fake2: dict[str, Any],
    shapes: set[str],
    connection: Any,
) -> _Slot | None:
    for name, value in fake1.items():
        items: list[tuple[int | None, Any]] = (
            list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        )
        for index, sentinel in items:
            if sentinel is None or isinstance(sentinel, bool) or name in shapes:
                continue
            other = fake2[name] if index is None else fake2[name][index]
            for convert in _conversions(sentinel, connection):
                if convert(sentinel) == first and convert(other) == second:
                    return _Slot(position, name, index, convert)
    return None


def _conversions(sentinel: Any, connection: Any) -> list[Callable[[Any], Any]]:
    """The forms in which Django may pass a value of this type to the database driver."""
    ops = connection.ops
    if isinstance(sentinel, datetime):
        return [_same, ops.adapt_datetimefield_value]
    if isinstance(sentinel, date):
        return [_same, ops.adapt_datefield_value]
    if isinstance(sentinel, uuid.UUID):
        return [_same, _uuid_hex]
    return [_same]


def _same(value: Any) -> Any:
    return value


def _uuid_hex(value: Any) -> Any:
    return value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex


class _PrecompiledQuery:
    """Stands in for the queryset's Query: hands out the compiled compiler with this call's values."""

    def __init__(self, prepared: _Prepared, params: list[Any]) -> None:
        self._prepared = prepared
        self._params = params

    def get_compiler(self, using: str | None = None, connection: Any = None, elide_empty: bool = True) -> Any:
        base = self._prepared.compiler
        compiler = object.__new__(type(base))
        compiler.__dict__.update(base.__dict__)
        # This thread's connection: the one the query was compiled on belongs to another thread.
        compiler.connection = connections[using or DEFAULT_DB_ALIAS]
        sql, params = self._prepared.sql, self._params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        converters = self._prepared.converters
        compiler.get_converters = lambda expressions: converters
        return compiler

    def __getattr__(self, name: str) -> Any:
        return getattr(self._prepared.queryset.query, name)


def _run(prepared: _Prepared, params: list[Any]) -> Any:
    template = prepared.queryset
    # A shallow copy holding the stand-in query (copy.copy would evaluate the template: __getstate__).
    queryset = object.__new__(type(template))
    queryset.__dict__.update(template.__dict__)
    queryset._query = _PrecompiledQuery(prepared, params)  # type: ignore[attr-defined]
    queryset._result_cache = None
    rows: list[Any] = list(template._iterable_class(queryset, chunked_fetch=False))  # type: ignore[call-overload]
    lookups = template._prefetch_related_lookups  # type: ignore[attr-defined]
    if lookups:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(rows, *lookups)
    return rows


def compiled(build: Callable[..., QuerySet[Any, Any]]) -> Compiled:
    return Compiled(build)


def _forget_all(**kwargs: Any) -> None:
    for query in _ALL:
        query.forget()


setting_changed.connect(_forget_all)
