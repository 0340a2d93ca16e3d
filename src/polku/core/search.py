"""Free-text search over a few fields, the same way on every page that has one."""

from __future__ import annotations

from django.db.models import Q


def every_word(term: str, *fields: str) -> Q:
    """Rows where each word of `term` is found (case-insensitively, anywhere) in at least one of
    `fields`. An empty term matches every row. The fields are of the row or of rows it points to; for
    rows pointed at from many (a reverse relation), chained filters would be needed instead."""
    match = Q()
    for word in term.split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        match &= any_field
    return match
