"""`core.dates.formatter` reads a date format once and writes dates and datetimes as Django's
`dateformat.format` does, in every language and for any value; a format it does not read itself is
left to Django. The caseload's dates and the timeline's times go through it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

from polku.core.dates import formatter

DATES = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 800, 3)] + [
    date(1, 1, 1),
    date(999, 12, 31),
    date(2026, 10, 10),
    date(9999, 12, 31),
]
# Every hour and minute, across both daylight saving changes of 2026 in Helsinki.
MOMENTS = [datetime(2026, 3, 28, 22, 0, tzinfo=UTC) + timedelta(minutes=n) for n in range(0, 60 * 30, 7)] + [
    datetime(2026, 10, 24, 22, 0, tzinfo=UTC) + timedelta(minutes=n) for n in range(0, 60 * 30, 11)
]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_short_dates_are_djangos_in_every_language(language):
    with translation.override(language):
        short = get_format("SHORT_DATE_FORMAT")
        formatted = formatter(short)
        assert [formatted(on) for on in DATES] == [dateformat.format(on, short) for on in DATES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_short_datetimes_are_djangos_in_every_language(language):
    with translation.override(language):
        short = get_format("SHORT_DATETIME_FORMAT")
        formatted = formatter(short)
        local = [timezone.localtime(at) for at in MOMENTS]
        assert [formatted(at) for at in local] == [dateformat.format(at, short) for at in local]


def test_the_finnish_time_has_no_leading_zero_and_the_swedish_one_a_dot():
    at = timezone.localtime(datetime(2026, 12, 5, 7, 5, tzinfo=UTC))  # 9.05 in Helsinki
    with translation.override("fi"):
        assert formatter(get_format("SHORT_DATETIME_FORMAT"))(at) == "5.12.2026 9.05"
    with translation.override("sv"):
        assert formatter(get_format("SHORT_DATETIME_FORMAT"))(at) == "5.12.2026 09.05"
    with translation.override("en"):
        assert formatter(get_format("SHORT_DATETIME_FORMAT"))(at) == "5.12.2026 09:05"


@pytest.mark.parametrize(
    "django_format",
    [
        "d.m.Y",
        "Y-m-d",
        "j/n/Y",
        "D j.n.Y",
        "j. F Y",
        r"j\.n\.Y",
        "{j}.n.Y",
        "jS N y",
        "",
        "c",
        "j.n.Y P",
        "H:i:s",
    ],
)
def test_any_format_is_djangos(django_format):
    local = [timezone.localtime(at) for at in MOMENTS[::5]]
    with translation.override("fi"):
        formatted = formatter(django_format)
        assert [formatted(at) for at in local] == [dateformat.format(at, django_format) for at in local]
        if not any(c in django_format for c in "cPHsGi"):
            assert [formatted(on) for on in DATES] == [dateformat.format(on, django_format) for on in DATES]
