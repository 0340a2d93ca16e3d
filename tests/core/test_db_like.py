"""SQLite's LIKE, replaced on each connection by one that folds the case of every letter (core/db.py)."""

import pytest
from django.db import connection

from polku.core.db import _like


@pytest.mark.parametrize(
    ("pattern", "value", "escape", "expected"),
    [
        ("%äijä%", "Äijälä", None, True),
        ("ÅSTRÖM", "åström", None, True),
        ("a_c", "abc", None, True),
        ("a_c", "abbc", None, False),
        ("a%", "a\nb", None, True),  # % spans lines
        ("100\\%", "100%", "\\", True),
        ("100\\%", "1000", "\\", False),
        ("a\\_c", "abc", "\\", False),
        ("a\\_c", "a_c", "\\", True),
        ("abc\\", "abc", "\\", True),  # an escape at the end escapes nothing
        ("a.c", "abc", None, False),  # regular expression characters are literal
        ("(x)", "(X)", None, True),
        (None, "x", None, None),
        ("x", None, None, None),
    ],
)
def test_like_matches_as_sql_does_with_every_letters_case_folded(pattern, value, escape, expected):
    assert _like(pattern, value, escape) is expected


@pytest.mark.django_db
def test_the_sqlite_connection_uses_it():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL folds every letter itself (UPPER on both sides)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'Äijälä' LIKE %s, 'Äijälä' LIKE %s ESCAPE '\\'", ["äijä%", "ä\\_jä%"])
        assert cursor.fetchone() == (1, 0)
