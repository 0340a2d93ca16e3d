"""Timestamps from PostgreSQL are read by psycopg's C loader (polku.core.db) with Django's semantics:
aware datetimes in UTC, the same instant as stored, microseconds kept."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from polku.clients.models import TimelineEntry
from polku.core.db import _loader_for
from tests.factories import make_client, make_membership

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the loader is PostgreSQL's; SQLite reads timestamps through Django's converters")


def _timestamptz_loader(adapters):
    from psycopg import adapters as default_adapters
    from psycopg.pq import Format

    return adapters.get_loader(default_adapters.types["timestamptz"].oid, Format.TEXT)


def test_connections_and_their_cursors_use_the_c_backed_loader(postgresql):
    connection.ensure_connection()
    assert _timestamptz_loader(connection.connection.adapters) is _loader_for(connection.timezone)
    # pyproject asks for psycopg[binary]: the wrapped loader is its compiled one.
    assert _loader_for(connection.timezone).wraps.__module__.startswith(("psycopg_binary", "psycopg_c"))
    with connection.cursor() as cursor:
        # Django registers its own loader on a cursor whose time zone the connection's loader lacks.
        assert _timestamptz_loader(cursor.cursor.adapters) is _loader_for(connection.timezone)


def test_a_stored_instant_reads_back_the_same_in_utc(postgresql):
    at = datetime(2026, 3, 29, 4, 30, 0, 123456, tzinfo=HELSINKI)  # summer time, begun an hour before
    client = make_client(by=make_membership())
    entry = TimelineEntry.objects.create(client=client, at=at, kind="contact", params={})
    read = TimelineEntry.objects.get(pk=entry.pk).at
    assert read == at == datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC)
    assert read.tzinfo is UTC
    assert read.microsecond == 123456


def test_a_session_in_another_time_zone_still_gives_utc(postgresql):
    at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Europe/Helsinki'")
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz + interval '1 day'", [at, at])
        value, next_day = cursor.fetchone()
    assert (value, next_day) == (at, at + timedelta(days=1))
    assert value.tzinfo is UTC and value.hour == 12


def test_the_loader_converts_text_with_an_offset(postgresql):
    loader = _loader_for(UTC)(1184, connection.connection)
    assert loader.load(b"2026-11-23 10:11:12.5+02") == datetime(2026, 11, 23, 8, 11, 12, 500000, tzinfo=UTC)
