"""Hooks on each new database connection (`connection_created`, connected in `CoreConfig.ready`).

## SQLite: LIKE folds the case of every letter

Django's `icontains` (and, on SQLite, also `contains`) is SQLite's LIKE, which ignores the case of
ASCII letters only: a name search for "äijälä" would not find "Äijälä", where PostgreSQL (UPPER() on
both sides) does. On SQLite, the embedded demo database, `install_unicode_like` replaces the LIKE
function with one that compares case-folded text. It costs a Python call a row, which the demo's few
thousand rows do not notice; PostgreSQL is unchanged.

## PostgreSQL timestamps read by psycopg's C loader

Django reads every `timestamptz` through a subclass of psycopg's pure-Python loader, which parses the
text with a regular expression (about 2 µs a value) and sets the connection's time zone on the result.
Psycopg's C loader, installed with `psycopg[binary]`, does the parsing in about 0.2 µs, but it cannot be
subclassed. A page such as the caseload reads over a hundred timestamps (`created_at`, `updated_at` and
the like of every row and joined row), so this replaces Django's loader on each new connection with one
that calls the C loader and converts the result to Django's time zone. The class keeps Django's
`timezone` attribute, which `DatabaseWrapper.create_cursor` compares with its own before registering
its loader again. Where psycopg has no C implementation, `adapters` hands out the Python loader and the
result is the same, only no faster. Measured in one process on the benchmark database: the caseload
7.1 → 6.6 ms of CPU, the client overview 9.2 → 8.8 ms (bench/README.md, 5 Dec 2026).
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings


def install_timestamp_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: on PostgreSQL with time zones on, read timestamps in C."""
    if connection.vendor != "postgresql" or not settings.USE_TZ:
        return
    # Each psycopg connection has its own copy of the adapters: this changes no other connection.
    connection.connection.adapters.register_loader("timestamptz", _loader_for(connection.timezone))


@functools.lru_cache
def _loader_for(zone: tzinfo) -> type[Any]:
    from psycopg import adapters
    from psycopg.adapt import Loader
    from psycopg.pq import Format

    fast = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
    if fast is None:  # pragma: no cover - psycopg always has one
        raise LookupError("psycopg has no text loader for timestamptz")
    c_loader: type[Any] = fast

    class TimestampLoader(Loader):
        timezone = zone
        # The loader that parses, for a reader (and a test) to see which implementation runs.
        wraps = c_loader

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._load = c_loader(oid, context).load

        def load(self, data: Any) -> datetime:
            # The C loader answers in the session's time zone, which Django sets to its own; converting
            # rather than relabelling stays right even if a session changes it.
            value: datetime = self._load(data)
            return value.astimezone(zone)

    return TimestampLoader


def install_unicode_like(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: on SQLite, LIKE compares case-folded text (see the docstring)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("like", 2, _like, deterministic=True)
    connection.connection.create_function("like", 3, _like, deterministic=True)


def _like(pattern: Any, value: Any, escape: Any = None) -> bool | None:
    """SQL's `value LIKE pattern [ESCAPE escape]` (SQLite passes the pattern first): % is any text, _ any
    one character, the escape character makes the next one literal. NULL in, NULL out."""
    if pattern is None or value is None:
        return None
    return _like_pattern(str(pattern), escape).fullmatch(str(value).casefold()) is not None


@functools.lru_cache(maxsize=512)
def _like_pattern(pattern: str, escape: str | None) -> re.Pattern[str]:
    parts = []
    characters = iter(pattern)
    for character in characters:
        if escape is not None and character == escape:
            parts.append(re.escape(next(characters, "").casefold()))
        elif character == "%":
            parts.append(".*")
        elif character == "_":
            parts.append(".")
        else:
            parts.append(re.escape(character.casefold()))
    return re.compile("".join(parts), re.DOTALL)
