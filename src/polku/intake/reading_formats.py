"""Turning an uploaded extract's bytes into records (lists of cell texts), whatever its format, with what
holding it may cost bounded: a CSV is checked for UTF-8 and decoded as it is read; an XLSX is refused by
its unpacked size, its sheet's stated size and its width before openpyxl streams it (read-only). The
header and at most `Limits.rows` rows come out; `reading` validates them. A file that cannot be read at
all raises `Rejected` with the reason."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
# Cells right of this column are not read from an XLSX (the header has 9): a cell at column XFD would
# otherwise make every row 16,384 values long.
XLSX_MAX_COLUMNS = 50


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str


@dataclass(frozen=True)
class Limits:
    """What one extract may cost: problems reported before checking stops, rows, unpacked XLSX bytes."""

    problems: int = 1000
    rows: int = 500_000
    unpacked_bytes: int = 300_000_000


class Rejected(Exception):
    """The file as a whole cannot be read (too large, not a CSV, wrong encoding, empty, bad header)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].reason if problems else "")
        self.problems = problems


def check_size(size: int, max_bytes: int) -> None:
    """Refuse a file by its size, before anything of it is read."""
    if size > max_bytes:
        raise Rejected(
            [
                Problem(
                    0,
                    "",
                    _(
                        "The file is %(size)s MB; the largest extract accepted is %(max)s MB. "
                        "Split it into parts."
                    )
                    % {"size": round(size / 1_000_000), "max": round(max_bytes / 1_000_000)},
                )
            ]
        )


def records(data: bytes, limits: Limits, *, width: int) -> Iterator[list[str]]:
    """The file's header and at most `limits.rows` rows; `width` is the number of columns an extract
    has (named when a sheet is far wider)."""
    if data.startswith(XLSX_MAGIC):
        found: Iterator[list[str]] = _xlsx_records(data, limits, width)
    else:
        found = _csv_records(data)
    return _at_most(found, limits.rows)


def _too_many_rows(limit: int) -> Rejected:
    return Rejected(
        [
            Problem(
                0,
                "",
                _(
                    "The file has more than %(max)s rows; the most an extract may have is %(max)s. "
                    "Split it into parts."
                )
                % {"max": limit},
            )
        ]
    )


def _at_most(records: Iterator[list[str]], limit: int) -> Iterator[list[str]]:
    """The header and at most `limit` rows (blank lines count: a file of empty lines is no cheaper)."""
    for count, record in enumerate(records):
        if count > limit:
            raise _too_many_rows(limit)
        yield record


def _csv_records(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data[:65536] or data.startswith(b"%PDF"):
        raise Rejected(
            [Problem(0, "", _("This is not a CSV file: save the extract as CSV (UTF-8) or XLSX."))]
        )
    _check_utf8(data)
    first_line = data[:4096].split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    # Decoded as it is read: the file is never held twice in memory.
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    return _csv_rows(csv.reader(text, delimiter=delimiter, strict=False))


def _csv_rows(reader: Any) -> Iterator[list[str]]:
    """The reader's rows; a line the csv module refuses (a field longer than its limit, most often after
    a quote that is never closed) rejects the file naming the line, instead of failing the import."""
    try:
        yield from reader
    except csv.Error:
        line = reader.line_num
        raise Rejected(
            [
                Problem(
                    line,
                    "",
                    _(
                        "Line %(line)s cannot be read: a field is longer than %(max)s characters. "
                        'Check that every quote (") on it is closed.'
                    )
                    % {"line": line, "max": csv.field_size_limit()},
                )
            ]
        ) from None


def _check_utf8(data: bytes) -> None:
    """Raise Rejected naming the line of the first byte that is not UTF-8 (checked a megabyte at a time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        line = 1
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
        raise Rejected(
            [
                Problem(
                    line,
                    "",
                    _(
                        "The file is not in UTF-8 (the first character that is not is on line %(line)s). "
                        "Save the extract as “CSV UTF-8”."
                    )
                    % {"line": line},
                )
            ]
        ) from None


def _not_a_workbook() -> Rejected:
    return Rejected(
        [Problem(0, "", _("This is neither a CSV file nor an Excel workbook (XLSX) that can be read."))]
    )


_WORKSHEET = re.compile(rb"<(?:\w+:)?worksheet[\s>]")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s/>]")


def check_workbook(data: bytes, limits: Limits) -> None:
    """Refuse a workbook before openpyxl reads it, from the zip's directory and the start of each sheet:
    - whose parts unpack to more than `limits.unpacked_bytes` (every part counts, not only the sheet:
      openpyxl holds the shared strings in memory; a part that claims a smaller size than it has is cut
      at that size when read, so the sum cannot be lied down);
    - with a sheet that does not give its dimension before its rows: openpyxl would then parse the whole
      sheet into memory to find it (a 250 MB sheet took 3.6 GB). Excel and LibreOffice always write it;
    - with a sheet whose dimension says it has more than `limits.rows` rows."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            unpacked = sum(info.file_size for info in parts)
            if unpacked > limits.unpacked_bytes:
                raise _unpacks_to(unpacked, limits.unpacked_bytes)
            for info in parts:
                if info.filename.endswith(".xml"):
                    with archive.open(info) as part:
                        _check_sheet_start(part.read(65536), limits)
    except Rejected:
        raise
    except Exception:  # not a zip, a damaged one, or one compressed in a way zipfile cannot read
        raise _not_a_workbook() from None


def _check_sheet_start(head: bytes, limits: Limits) -> None:
    if not _WORKSHEET.search(head):
        return
    dimension, rows = _DIMENSION.search(head), _SHEET_DATA.search(head)
    if dimension is None or (rows is not None and rows.start() < dimension.start()):
        raise Rejected(
            [
                Problem(
                    0,
                    "",
                    _(
                        "The workbook does not say how large its sheet is. Open it in Excel or LibreOffice "
                        "and save it again, or save the extract as CSV."
                    ),
                )
            ]
        )
    if dimension.group(1) and int(dimension.group(1)) > limits.rows + 1:
        raise _too_many_rows(limits.rows)


def _unpacks_to(unpacked: int, max_bytes: int) -> Rejected:
    return Rejected(
        [
            Problem(
                0,
                "",
                _(
                    "The workbook unpacks to %(size)s MB; the most accepted is %(max)s MB. Save the "
                    "extract as CSV, or split it into parts."
                )
                % {"size": round(unpacked / 1_000_000), "max": round(max_bytes / 1_000_000)},
            )
        ]
    )


def _xlsx_records(data: bytes, limits: Limits, width: int) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    check_workbook(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # The sheet's own dimension (<dimension ref="A1:I300001"/>), when it has one: a file that says
        # it is too long is refused before a row is read; one that does not say is counted as it streams.
        rows, columns = sheet.max_row, sheet.max_column
    except Exception:  # a zip that is not a workbook, or a damaged one
        raise _not_a_workbook() from None
    if rows is not None and rows > limits.rows + 1:
        workbook.close()
        raise _too_many_rows(limits.rows)
    if columns is not None and columns > XLSX_MAX_COLUMNS:
        workbook.close()
        raise Rejected(
            [
                Problem(
                    0,
                    "",
                    _("The sheet has %(found)s columns; an extract has %(width)s.")
                    % {"found": columns, "width": width},
                )
            ]
        )

    def cells() -> Iterator[list[str]]:
        try:
            width = min(columns or XLSX_MAX_COLUMNS, XLSX_MAX_COLUMNS)
            for values in sheet.iter_rows(max_col=width, values_only=True):
                yield [_cell_text(value) for value in values]
        finally:
            workbook.close()

    return cells()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
