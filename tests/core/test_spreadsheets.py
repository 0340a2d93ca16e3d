"""Cells Polku writes to CSV/XLSX files cannot become formulas in the reader's spreadsheet program."""

import re
from datetime import date
from pathlib import Path

import pytest

from polku.core.spreadsheets import safe_cell, safe_row

SRC = Path(__file__).resolve().parents[2] / "src" / "polku"
# Files that write a CSV Polku itself reads back (the demo extract), not one a person opens.
NOT_EXPORTS = {"intake/demo.py"}


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"],
)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Virtanen", "line 7: “=1” is not a date", "", "1-2", "a=b"])
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, 0, 3, date(2026, 1, 1), None, True])
def test_numbers_dates_and_empty_cells_are_unchanged(value):
    assert safe_cell(value) is value


def test_a_row_is_neutralised_cell_by_cell():
    assert safe_row([12, "=1+1", "ok", -3]) == [12, "'=1+1", "ok", -3]


def test_every_csv_or_xlsx_writer_in_polku_goes_through_the_shared_helper():
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|openpyxl")
    unsafe = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative in NOT_EXPORTS or relative.startswith("intake/reading"):  # reading reads, never writes
            continue
        if writers.search(text) and "polku.core.spreadsheets" not in text:
            unsafe.append(relative)
    assert unsafe == []
