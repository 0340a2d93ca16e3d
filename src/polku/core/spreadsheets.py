"""Cells of the CSV and XLSX files Polku writes, made safe to open in a spreadsheet program.

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs skip
before reading such a sign) is taken for a formula by Excel and LibreOffice: text that came from an
uploaded file or a form could then run a command or send the sheet's contents away when the reader opens
the export. Every such text cell gets a leading single quote, as the OWASP advice on CSV injection says.
Numbers, dates and booleans are written as they are: a negative number stored as a number is no formula.
Every export goes through `safe_cell`/`safe_row`, so the rule is in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write: text that a spreadsheet would read as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def safe_rows(rows: Iterable[Iterable[Any]]) -> Iterable[list[Any]]:
    """The rows, neutralised one at a time (a generator: an export of many rows is never held whole)."""
    return (safe_row(row) for row in rows)
