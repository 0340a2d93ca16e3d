"""clients.pages: the values the busiest pages write in Python must read as Django writes them."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from polku.clients.pages import date_formatter, short_date

DATES = [date(2026, 1, 5), date(1999, 12, 31), date(2026, 11, 23)]
MOMENTS = [datetime(2026, 1, 5, 7, 3, 9, tzinfo=UTC), datetime(2026, 7, 31, 22, 59, tzinfo=UTC)]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("SHORT_DATE_FORMAT", DATES),
        ("DATE_FORMAT", DATES),
        ("SHORT_DATETIME_FORMAT", [timezone.localtime(moment) for moment in MOMENTS]),
    ],
)
def test_the_formatter_writes_each_value_as_date_format_does(language, name, values):
    with translation.override(language):
        formatted = date_formatter(name)
        assert [formatted(value) for value in values] == [date_format(value, name) for value in values]


def test_the_formatter_keeps_escaped_characters_of_a_format(settings):
    settings.SHORT_DATE_FORMAT = r"j \d\a\y n.Y"
    with translation.override(None):  # no language: the setting's format, not a locale's
        assert date_formatter("SHORT_DATE_FORMAT")(date(2026, 3, 4)) == "4 day 3.2026"


def test_the_short_date_follows_the_active_language_from_one_call_to_the_next():
    # The formatter is made once per language: a key without the language would answer in the first.
    written = {}
    for language in ["fi", "sv", "en", "fi"]:
        with translation.override(language):
            written[language] = short_date(date(2026, 11, 23))
            assert written[language] == date_format(date(2026, 11, 23), "SHORT_DATE_FORMAT")
    # Finland-Swedish writes dates as Finnish does (formats/sv), so all three read the same.
    assert set(written.values()) == {"23.11.2026"}


def test_the_short_date_follows_a_changed_format_setting(settings):
    with translation.override(None):
        short_date(date(2026, 3, 4))
        settings.SHORT_DATE_FORMAT = r"j \d\a\y n.Y"
        assert short_date(date(2026, 3, 4)) == "4 day 3.2026"
