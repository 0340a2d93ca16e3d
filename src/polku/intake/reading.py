"""Reading and validating a registry extract (docs/registry-extract.md): the whole file first.

`read_extract` turns the file into validated rows, or into its problems (line, column, reason): every
problem up to `Limits.problems`, after which checking stops and the result says on which line. Whatever
the file, what is held stays bounded: a CSV is decoded as it is read, an XLSX is refused by its unpacked
size and row count before its rows are read and is then streamed (openpyxl read-only), and no more than
`Limits.rows` rows and `Limits.problems` problems are ever kept. Nothing here touches the database
except the municipality codes it is given. Identity codes never appear in a problem: the line number and
the masked code say which row is meant.

The loop is written for 300,000 rows: one pass, dates parsed once per distinct text, identity codes
checked by a fast path (shape, century sign, birth date, individual number, check character) that
falls back to `clients.identity.parse` only to word the reason for a code that fails it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from polku.clients import identity

# Canonical column -> (Finnish header, English header)
COLUMNS: dict[str, tuple[str, str]] = {
    "person_id": ("henkilotunnus", "person_id"),
    "last_name": ("sukunimi", "last_name"),
    "first_names": ("etunimet", "first_names"),
    "municipality": ("kotikunta", "municipality"),
    "unemployed_since": ("tyoton_alkaen", "unemployed_since"),
    "benefit": ("etuus", "benefit"),
    "disability_or_illness": ("vamma_tai_sairaus", "disability_or_illness"),
    "last_activation_ended": ("viimeisin_palvelu_paattyi", "last_activation_ended"),
    "extract_date": ("poiminta_pvm", "extract_date"),
}
HEADER_NAMES = {name: column for column, names in COLUMNS.items() for name in names}
BENEFITS = {
    "tyomarkkinatuki": "labour_market_subsidy",
    "labour_market_subsidy": "labour_market_subsidy",
    "peruspaivaraha": "basic_allowance",
    "basic_allowance": "basic_allowance",
    "ansiopaivaraha": "earnings_related",
    "earnings_related": "earnings_related",
    "ei": "none",
    "none": "none",
}
BOOLEANS = {"kyllä": True, "kylla": True, "yes": True, "1": True, "ei": False, "no": False, "0": False}
XLSX_MAGIC = b"PK\x03\x04"
MAX_NAME = 150
# Cells right of this column are not read from an XLSX (the header has 9): a cell at column XFD would
# otherwise make every row 16,384 values long.
XLSX_MAX_COLUMNS = 50
_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURIES = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}
_CENTURIES.update(dict.fromkeys("ABCDEF", 2000))
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FINNISH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class Row:
    """One valid row. `code` is the normalised identity code (kept in memory only)."""

    line: int
    code: str
    birth_date: date
    sex: str
    last_name: str
    first_names: str
    municipality: str
    unemployed_since: date | None
    benefit: str
    disability_or_illness: bool
    last_activation_ended: date | None
    extract_date: date


@dataclass(frozen=True)
class Limits:
    """What one extract may cost: problems reported before checking stops, rows, unpacked XLSX bytes."""

    problems: int = 1000
    rows: int = 500_000
    unpacked_bytes: int = 300_000_000


@dataclass
class Result:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    # The line checking stopped on after `Limits.problems` problems (0: the whole file was checked).
    stopped_at: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.problems


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


def read_extract(
    data: bytes,
    *,
    today: date,
    municipalities: Iterable[str],
    progress: Callable[[int], None] | None = None,
    limits: Limits | None = None,
) -> Result:
    """Validate the file. Raises Rejected when it cannot be read at all (or is over a limit); otherwise
    returns the valid rows, or the problems found up to `limits.problems`."""
    limits = limits or Limits()
    if not data.strip(b"\xef\xbb\xbf \r\n\t"):
        raise Rejected([Problem(0, "", _("The file is empty."))])
    if data.startswith(XLSX_MAGIC):
        records: Iterator[list[str]] = _xlsx_records(data, limits)
    else:
        records = _csv_records(data)
    records = _at_most(records, limits.rows)
    try:
        header = next(records)
    except StopIteration:
        raise Rejected([Problem(0, "", _("The file is empty."))]) from None
    columns = _columns(header)
    return _validate(
        records,
        columns,
        today=today,
        municipalities=set(municipalities),
        progress=progress,
        max_problems=limits.problems,
    )


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


def _xlsx_records(data: bytes, limits: Limits) -> Iterator[list[str]]:
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
                    % {"found": columns, "width": len(COLUMNS)},
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


def _columns(header: list[str]) -> list[str]:
    """The canonical column of each header cell; Rejected lists every unknown, repeated or missing one."""
    problems = []
    columns: list[str] = []
    while header and not header[-1].strip():  # spreadsheets often leave empty cells at the end
        header = header[:-1]
    for number, name in enumerate(header, start=1):
        key = name.strip().lower()
        column = HEADER_NAMES.get(key)
        if column is None:
            problems.append(
                Problem(
                    1,
                    name.strip(),
                    _("Unknown column “%(name)s” (column %(n)s).") % {"name": name, "n": number},
                )
            )
        elif column in columns:
            problems.append(
                Problem(1, name.strip(), _("The column “%(name)s” is given twice.") % {"name": name})
            )
        columns.append(column or "")
    for column, (finnish, english) in COLUMNS.items():
        if column not in columns:
            problems.append(
                Problem(
                    1,
                    finnish,
                    _("The column “%(fi)s” (or “%(en)s”) is missing.") % {"fi": finnish, "en": english},
                )
            )
    if problems:
        raise Rejected(problems)
    return columns


class _Dates:
    """Dates parsed once per distinct text: an extract repeats the same few thousand dates."""

    def __init__(self) -> None:
        self.cache: dict[str, date | str] = {}

    def parse(self, text: str) -> date | str:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = _parse_date(text)
        return found


def _parse_date(text: str) -> date | str:
    """The date, or the reason it is not one."""
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _FINNISH.match(text)
        if not match:
            return _("“%(value)s” is not a date: write it as 2026-03-31 or 31.3.2026.") % {"value": text}
        day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return _("“%(value)s” is not a date that exists.") % {"value": text}


def _validate(
    records: Iterator[list[str]],
    columns: list[str],
    *,
    today: date,
    municipalities: set[str],
    progress: Callable[[int], None] | None,
    max_problems: int,
) -> Result:
    result = Result()
    rows, problems = result.rows, result.problems
    index = {column: columns.index(column) for column in COLUMNS}
    i_code, i_last, i_first = index["person_id"], index["last_name"], index["first_names"]
    i_municipality, i_since, i_benefit = index["municipality"], index["unemployed_since"], index["benefit"]
    i_disability, i_activation, i_extract = (
        index["disability_or_illness"],
        index["last_activation_ended"],
        index["extract_date"],
    )
    width = len(columns)
    dates = _Dates()
    births: dict[str, date | None] = {}
    seen: dict[str, int] = {}
    names = COLUMNS
    line = 1
    for record in records:
        if len(problems) >= max_problems:
            result.stopped_at = line  # the last line checked; there is at least one more
            break
        line += 1
        if line % 10_000 == 0 and progress is not None:
            progress(line - 1)
        if len(record) != width or not record[i_code].strip():
            if not any(cell.strip() for cell in record):
                continue  # blank lines and empty sheet rows (often at the end) are not rows
            if len(record) > width and not any(cell.strip() for cell in record[width:]):
                record = record[:width]
            elif len(record) != width:
                problems.append(
                    Problem(
                        line,
                        "",
                        _("The line has %(found)s fields; the header has %(width)s.")
                        % {"found": len(record), "width": width},
                    )
                )
                continue
        result.total += 1
        bad = False

        raw_code = record[i_code]
        code = raw_code.strip().upper()
        if " " in code or "\t" in code:
            code = identity.normalise(code)
        parsed = _fast_code(code, births, today)
        if parsed is None:
            bad = True
            problems.append(Problem(line, names["person_id"][0], _code_reason(code)))
        else:
            first = seen.get(code)
            if first is not None:
                bad = True
                problems.append(
                    Problem(
                        line,
                        names["person_id"][0],
                        _("The same identity code (%(masked)s) is already on line %(first)s.")
                        % {"masked": identity.mask(code), "first": first},
                    )
                )
            else:
                seen[code] = line

        parsed_date = dates.parse(record[i_extract].strip())
        extract_date: date | None = None
        if isinstance(parsed_date, str):
            bad = True
            problems.append(Problem(line, names["extract_date"][0], parsed_date))
        elif parsed_date > today:
            bad = True
            problems.append(Problem(line, names["extract_date"][0], _("The extract date is in the future.")))
        else:
            extract_date = parsed_date

        since = _optional_date(record[i_since], "unemployed_since", line, extract_date, dates, problems)
        activation = _optional_date(
            record[i_activation], "last_activation_ended", line, extract_date, dates, problems
        )
        if since is False or activation is False:
            bad = True

        last_name, first_names = record[i_last].strip(), record[i_first].strip()
        for column, value in (("last_name", last_name), ("first_names", first_names)):
            if not value or len(value) > MAX_NAME:
                bad = True
                reason = (
                    _("The name is missing.") if not value else _("The name is longer than 150 characters.")
                )
                problems.append(Problem(line, names[column][0], reason))

        municipality = record[i_municipality].strip()
        if municipality not in municipalities:
            bad = True
            problems.append(
                Problem(
                    line,
                    names["municipality"][0],
                    _("“%(value)s” is not a municipality code (three digits, for example 564).")
                    % {"value": municipality[:10]},
                )
            )

        benefit = BENEFITS.get(record[i_benefit].strip().lower())
        if benefit is None:
            bad = True
            problems.append(
                Problem(
                    line,
                    names["benefit"][0],
                    _(
                        "“%(value)s” is not a benefit: use tyomarkkinatuki, peruspaivaraha, ansiopaivaraha "
                        "or ei."
                    )
                    % {"value": record[i_benefit].strip()[:40]},
                )
            )

        disability = BOOLEANS.get(record[i_disability].strip().lower())
        if disability is None:
            bad = True
            problems.append(
                Problem(
                    line,
                    names["disability_or_illness"][0],
                    _("“%(value)s” is not yes or no: use kyllä/ei, yes/no or 1/0.")
                    % {"value": record[i_disability].strip()[:20]},
                )
            )

        if bad or problems:
            continue  # once a problem is found, rows are only checked, not kept
        assert (
            parsed is not None and extract_date is not None and benefit is not None and disability is not None
        )
        rows.append(
            Row(
                line,
                code,
                parsed[0],
                parsed[1],
                last_name,
                first_names,
                municipality,
                since if isinstance(since, date) else None,
                benefit,
                disability,
                activation if isinstance(activation, date) else None,
                extract_date,
            )
        )
    if not result.total and not problems:
        raise Rejected([Problem(1, "", _("The file has a header but no rows."))])
    if problems:
        result.rows = []
    if len(problems) > max_problems:  # the last line checked had several
        del problems[max_problems:]
        result.stopped_at = line
    return result


def _optional_date(
    text: str,
    column: str,
    line: int,
    extract_date: date | None,
    dates: _Dates,
    problems: list[Problem],
) -> date | bool | None:
    """The date, None when empty, or False after recording the problem."""
    text = text.strip()
    if not text:
        return None
    value = dates.parse(text)
    if isinstance(value, str):
        problems.append(Problem(line, COLUMNS[column][0], value))
        return False
    if extract_date is not None and value > extract_date:
        problems.append(Problem(line, COLUMNS[column][0], _("The date is after the extract date.")))
        return False
    return value


def _fast_code(code: str, births: dict[str, date | None], today: date) -> tuple[date, str] | None:
    """(birth date, sex) of a valid code, or None. Same verdicts as `identity.parse`, much faster."""
    if len(code) != 11:
        return None
    digits = code[:6] + code[7:10]
    if not (digits.isascii() and digits.isdigit()) or _CHECK[int(digits) % 31] != code[10]:
        return None
    individual = int(code[7:10])
    if individual < 2 or individual >= 900:
        return None
    key = code[:7]
    if key in births:
        birth = births[key]
    else:
        century = _CENTURIES.get(code[6])
        try:
            birth = date(century + int(code[4:6]), int(code[2:4]), int(code[:2])) if century else None
        except ValueError:
            birth = None
        if birth is not None and birth > today:
            birth = None
        births[key] = birth
    if birth is None:
        return None
    return birth, "male" if individual % 2 else "female"


def _code_reason(code: str) -> str:
    try:
        identity.parse(code)
    except ValidationError as error:
        reason = " ".join(error.messages)
    else:  # pragma: no cover - the fast path and identity.parse agree
        reason = _("This is not a valid identity code.")
    return f"{identity.mask(code)}: {reason}" if len(code) == 11 else reason
