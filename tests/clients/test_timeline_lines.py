"""The overview's timeline lines (`pages.TimelineLine`) say what the template's filters said of each
entry: its time as `date:'c'` and `date:"SHORT_DATETIME_FORMAT"` in the reader's language and time zone,
its author and its label."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from polku.clients.pages import TimelineLine
from polku.clients.timeline import Item


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_line_shows_the_time_as_the_date_filters_did(language):
    item = Item(
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # past midnight in Helsinki: the local date shows
        "case.opened",
        {},
        "A note",
        "Maija",
        "Meikäläinen",
        "maija@example.org",
        "Aikuissosiaalityö",
        "Oulun kaupunki",
    )
    with translation.override(language):
        [line] = TimelineLine.all_of([item])
        filters = Template("{{ at|date:'c' }}|{{ at|date:\"SHORT_DATETIME_FORMAT\" }}").render(
            Context({"at": item.at})
        )
        assert f"{line.at_iso}|{line.at_text}" == filters
        assert line.at_iso.startswith("2026-03-29T01:30:00+02:00")
        assert (line.actor, line.label, line.text) == (item.actor, item.label, "A note")
