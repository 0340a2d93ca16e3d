"""Reading and validating a registry extract (docs/registry-extract.md): the whole file first. The
file's format (CSV or XLSX) and the limits on what reading it may hold are `reading_formats.py`'s.

`read_extract` turns the file into validated rows, or into its problems (line, column, reason): every
problem up to `Limits.problems`, after which checking stops and the result says on which line. Whatever
the file, what is held stays bounded: a CSV is decoded as it is read, an XLSX is refused by its unpacked
size and row count before its rows are read and is then streamed (openpyxl read-only), and no more than
`Limits.rows` rows and `Limits.problems` problems are ever kept. Nothing here touches the database
except the municipality codes it is given. Identity codes never appear in a problem: the line number and
the masked code say which row is meant.

The loop is written for 300,000 rows: one pass, dates parsed once per distinct text, identity codes
checked by a fast path (shape, century sign, birth date, individual number, check character) that
falls back to `clients.identity.parse` only to word the reason for a code that fails it (both in
`reading_values.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from polku.clients import identity
from polku.intake.reading_formats import Limits, Problem, Rejected, records
from polku.intake.reading_values import Dates, birth_and_sex, code_reason

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
MAX_NAME = 150


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
    rows = records(data, limits, width=len(COLUMNS))
    try:
        header = next(rows)
    except StopIteration:
        raise Rejected([Problem(0, "", _("The file is empty."))]) from None
    columns = _columns(header)
    return _validate(
        rows,
        columns,
        today=today,
        municipalities=set(municipalities),
        progress=progress,
        max_problems=limits.problems,
    )


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
    dates = Dates()
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
        parsed = birth_and_sex(code, births, today)
        if parsed is None:
            bad = True
            problems.append(Problem(line, names["person_id"][0], code_reason(code)))
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
    dates: Dates,
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
