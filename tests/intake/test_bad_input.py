"""Bad extracts: each gets a specific error and the database is unchanged."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from polku.intake import reading, services
from polku.intake.models import ExtractStatus
from tests.intake.conftest import FINNISH, extract_csv, extract_on, person, registry_state, run

VALID = [person(n) for n in range(1, 6)]


@pytest.fixture
def existing(unit):
    """People already imported, so that "unchanged" means something."""
    run(unit, extract_csv(VALID))
    return registry_state()


def problems(extract):
    return [(p.line, p.column, p.reason) for p in extract.problems.all()]


def rejected(unit, data, existing):
    extract = run(unit, data)
    assert extract.status == ExtractStatus.REJECTED
    assert registry_state() == existing
    return problems(extract)


def test_wrong_encoding(unit, existing):
    data = extract_csv([*VALID, person(9, sukunimi="Häkkinen")]).decode().encode("latin-1")
    [(line, _column, reason)] = rejected(unit, data, existing)
    assert line == 7 and "not in UTF-8" in reason and "line 7" in reason


def test_missing_columns(unit, existing):
    header = [name for name in FINNISH if name not in ("etuus", "poiminta_pvm")]
    data = "\n".join([",".join(header), ",".join(VALID[0][name] for name in header)]).encode()
    found = rejected(unit, data, existing)
    assert (1, "etuus", "The column “etuus” (or “benefit”) is missing.") in found
    assert (1, "poiminta_pvm", "The column “poiminta_pvm” (or “extract_date”) is missing.") in found


def test_extra_columns(unit, existing):
    header = [*FINNISH, "puhelin"]
    data = "\n".join([",".join(header), ",".join([*(VALID[0][n] for n in FINNISH), "0401234567"])]).encode()
    assert rejected(unit, data, existing) == [(1, "puhelin", "Unknown column “puhelin” (column 10).")]


def test_empty_file(unit, existing):
    assert rejected(unit, b"", existing) == [(0, "", "The file is empty.")]
    assert rejected(unit, b"\xef\xbb\xbf\r\n", existing) == [(0, "", "The file is empty.")]


def test_header_without_rows(unit, existing):
    assert rejected(unit, (",".join(FINNISH) + "\n").encode(), existing) == [
        (1, "", "The file has a header but no rows.")
    ]


def test_duplicate_identity_code_in_one_file(unit, existing):
    twin = dict(VALID[1], sukunimi="Toinen")
    found = rejected(unit, extract_csv([*VALID, twin]), existing)
    masked = VALID[1]["henkilotunnus"][:7] + "****"
    assert found == [(7, "henkilotunnus", f"The same identity code ({masked}) is already on line 3.")]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("131052-308X", "The check character does not match"),
        ("131052-30", "An identity code has 11 characters"),
        ("311352-308T", "which is not a date"),
        ("131052-950T", "temporary identity code"),
    ],
)
def test_invalid_identity_code(unit, existing, code, reason):
    [(line, column, text)] = rejected(unit, extract_csv([*VALID, person(8, henkilotunnus=code)]), existing)
    assert (line, column) == (7, "henkilotunnus") and reason in text
    assert code not in text or len(code) != 11


def test_impossible_dates(unit, existing):
    found = rejected(
        unit,
        extract_csv([*VALID, person(8, tyoton_alkaen="31.2.2024"), person(9, poiminta_pvm="2025-13-01")]),
        existing,
    )
    assert found == [
        (7, "tyoton_alkaen", "“31.2.2024” is not a date that exists."),
        (8, "poiminta_pvm", "“2025-13-01” is not a date that exists."),
    ]


def test_a_date_in_an_unknown_form(unit, existing):
    [(_line, column, reason)] = rejected(unit, extract_csv([person(8, tyoton_alkaen="2024/01/31")]), existing)
    assert column == "tyoton_alkaen" and "is not a date: write it as" in reason


def test_future_dates(unit, existing):
    from datetime import timedelta

    future = (extract_on() + timedelta(days=400)).isoformat()
    found = rejected(
        unit, extract_csv([*VALID, person(8, poiminta_pvm=future), person(9, tyoton_alkaen=future)]), existing
    )
    assert found == [
        (7, "poiminta_pvm", "The extract date is in the future."),
        (8, "tyoton_alkaen", "The date is after the extract date."),
    ]


def test_bad_values_in_other_columns(unit, existing):
    found = rejected(
        unit,
        extract_csv([person(8, kotikunta="999", etuus="palkka", vamma_tai_sairaus="ehkä", sukunimi="")]),
        existing,
    )
    assert [column for _line, column, _reason in found] == [
        "sukunimi",
        "kotikunta",
        "etuus",
        "vamma_tai_sairaus",
    ]


def test_every_problem_is_reported_not_only_the_first(unit, existing):
    rows = [person(n, kotikunta="000") for n in range(20, 120)]
    found = rejected(unit, extract_csv(rows), existing)
    assert [line for line, _c, _r in found] == list(range(2, 102))


def test_a_200_mb_file_is_refused_by_its_size_before_it_is_read(unit, existing, tmp_path, monkeypatch):
    path = tmp_path / "huge.csv"
    with path.open("wb") as out:
        out.write(extract_csv(VALID))
        out.seek(200 * 1024 * 1024)
        out.write(b"\n")
    assert path.stat().st_size > 200_000_000

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(CommandError, match="The file is 210 MB; the largest extract accepted is 100 MB"):
        call_command("import_registry", str(path), "--unit", str(unit.pk), "--no-progress")
    with pytest.raises(reading.Rejected, match="210 MB"):
        services.receive_extract(
            by=unit.memberships.first(), file_name="huge.csv", chunks=no_reading, size=path.stat().st_size
        )
    assert registry_state() == existing


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "This is not a CSV file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This is not a CSV file"),
        (b"PK\x03\x04" + bytes(100), "This is neither a CSV file nor an Excel workbook"),
    ],
)
def test_a_file_that_is_not_a_csv(unit, existing, data, reason):
    [(_line, _column, text)] = rejected(unit, data, existing)
    assert text.startswith(reason)


def test_plain_text_that_is_not_an_extract(unit, existing):
    found = rejected(unit, b"Hello,\nthis is a letter, not an extract.\n", existing)
    assert (1, "Hello", "Unknown column “Hello” (column 1).") in found


def test_the_command_exits_non_zero_and_writes_the_problems(unit, existing, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(extract_csv([*VALID, person(8, kotikunta="999")]))
    out = tmp_path / "problems.csv"
    with pytest.raises(CommandError, match="rejected with 1 problems"):
        call_command(
            "import_registry", str(path), "--unit", unit.name, "--problems", str(out), "--no-progress"
        )
    assert (
        out.read_text().splitlines()[1]
        == '7,kotikunta,"“999” is not a municipality code (three digits, for example 564)."'
    )
    assert registry_state() == existing


def test_the_command_imports_a_valid_file(unit, tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_bytes(extract_csv([person(n) for n in range(30, 40)]))
    call_command("import_registry", str(path), "--unit", str(unit.pk))
    captured = capsys.readouterr()
    assert "Imported 10 rows" in captured.out and "10 new" in captured.out
    assert "Checking [" in captured.err


def test_the_command_needs_a_real_unit(db, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(extract_csv(VALID))
    with pytest.raises(CommandError, match="No single unit"):
        call_command("import_registry", str(path), "--unit", "Ei ole")
