"""The caseload table reads the short date format once (`caseload_html.date_formatter`) and formats
its dates as Django's `dateformat.format` does, in every language and for any date; a format it does
not read itself is left to Django."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import dateformat, translation
from django.utils.formats import get_format

from polku.clients.caseload_html import date_formatter

DATES = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 800, 3)] + [
    date(1, 1, 1),
    date(999, 12, 31),
    date(2026, 10, 10),
    date(9999, 12, 31),
]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_short_dates_are_djangos_in_every_language(language):
    with translation.override(language):
        short = get_format("SHORT_DATE_FORMAT")
        formatted = date_formatter(short)
        assert [formatted(on) for on in DATES] == [dateformat.format(on, short) for on in DATES]


@pytest.mark.parametrize(
    "django_format", ["d.m.Y", "Y-m-d", "j/n/Y", "D j.n.Y", "j. F Y", r"j\.n\.Y", "{j}.n.Y", "jS N y", ""]
)
def test_any_format_is_djangos(django_format):
    with translation.override("fi"):
        formatted = date_formatter(django_format)
        assert [formatted(on) for on in DATES] == [dateformat.format(on, django_format) for on in DATES]
