"""Whatever the file, an import costs a bounded number of problems, rows, bytes unpacked and memory, and
no extract stays "checking" after its process died (issue 21)."""

import csv
import io
import re
import tracemalloc
import zipfile
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook

from polku.intake import reading, services
from polku.intake.models import ExtractProblem, ExtractStatus, RegistryExtract
from tests.conftest import client_as
from tests.intake.conftest import ENGLISH, FINNISH, extract_csv, extract_on, person, run

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def bad_lines(count: int) -> bytes:
    """A header and `count` lines of one field each: every line is a problem."""
    return (",".join(FINNISH) + "\n" + "x\n" * count).encode()


def problems(extract):
    return list(extract.problems.values_list("line", "column", "reason"))


# --- Problems stop at the limit -------------------------------------------------------------------------


def test_checking_stops_after_the_problem_limit_and_says_there_may_be_more(unit, settings):
    settings.REGISTRY_EXTRACT_MAX_PROBLEMS = 10
    extract = run(unit, bad_lines(5000))
    assert extract.status == ExtractStatus.REJECTED
    assert extract.problem_count == 10
    assert extract.stopped_at_line == 11  # the header and ten bad lines were checked
    stored = problems(extract)
    assert len(stored) == 11
    assert [line for line, _column, _reason in stored[:10]] == list(range(2, 12))
    line, column, reason = stored[-1]
    assert (line, column) == (11, "")
    assert reason.startswith("And more: checking stopped on line 11 after 10 problems")


def test_the_default_limit_is_a_thousand_problems(unit):
    extract = run(unit, bad_lines(200_000))
    assert extract.problem_count == 1000
    assert ExtractProblem.objects.filter(extract=extract).count() == 1001


def test_a_file_with_fewer_problems_than_the_limit_lists_them_all_without_a_note(unit, settings):
    settings.REGISTRY_EXTRACT_MAX_PROBLEMS = 10
    extract = run(unit, bad_lines(10))
    assert extract.problem_count == 10
    assert extract.stopped_at_line == 0
    assert not any(reason.startswith("And more") for _line, _column, reason in problems(extract))


def test_a_line_with_several_problems_does_not_go_past_the_limit(unit, settings):
    settings.REGISTRY_EXTRACT_MAX_PROBLEMS = 3
    rows = [person(n, kotikunta="999", etuus="x", vamma_tai_sairaus="?") for n in range(1, 4)]
    extract = run(unit, extract_csv(rows))
    assert extract.problem_count == 3
    assert extract.stopped_at_line == 2


def test_the_page_and_problems_csv_say_checking_stopped(unit, worker, settings):
    settings.REGISTRY_EXTRACT_MAX_PROBLEMS = 5
    extract = run(unit, bad_lines(400), by=worker)
    browser = client_as(worker)
    page = browser.get(f"/intake/extracts/{extract.public_id}/", **EN).content.decode()
    assert "And more: checking stopped on line 6 after 5 problems" in page
    download = browser.get(f"/intake/extracts/{extract.public_id}/problems.csv", **EN)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 5 + 1
    assert rows[-1][2].startswith("And more: checking stopped on line 6")


def test_reading_a_large_file_of_bad_lines_holds_little_memory():
    data = bad_lines(1_000_000)  # 2 MB; the file itself is not counted below
    tracemalloc.start()
    try:
        result = reading.read_extract(data, today=extract_on(), municipalities=["564"])
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.problems) == 1000
    assert peak < 5_000_000


# --- Rows, fields and workbooks over their limits --------------------------------------------------------


def test_a_csv_of_more_rows_than_allowed_is_refused_naming_the_limit(unit, settings):
    settings.REGISTRY_EXTRACT_MAX_ROWS = 3
    extract = run(unit, extract_csv([person(n) for n in range(1, 5)]))
    assert problems(extract) == [
        (0, "", "The file has more than 3 rows; the most an extract may have is 3. Split it into parts.")
    ]


def test_a_field_over_the_csv_field_limit_names_its_line(unit):
    header = ",".join(FINNISH)
    good = ",".join(person(1)[name] for name in FINNISH)
    data = f'{header}\n{good}\n"{"x" * 200_000}\n'.encode()
    extract = run(unit, data)
    [(line, column, reason)] = problems(extract)
    assert line == 3 and column == ""
    assert reason.startswith("Line 3 cannot be read: a field is longer than 131072 characters.")


def workbook_bytes(rows: int, *, extra_parts: dict[str, bytes] | None = None, dimension=True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ENGLISH)
    for n in range(1, rows + 1):
        sheet.append([person(n)[name] for name in FINNISH])
    out = io.BytesIO()
    workbook.save(out)
    if dimension and not extra_parts:
        return out.getvalue()
    rewritten = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if not dimension and info.filename.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            target.writestr(info.filename, content)
        for name, content in (extra_parts or {}).items():
            target.writestr(name, content)
    return rewritten.getvalue()


def test_a_workbook_is_accepted_within_its_limits(unit):
    assert run(unit, workbook_bytes(3)).status == ExtractStatus.DONE


def test_empty_rows_of_a_workbook_are_not_rows(unit):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(ENGLISH)
    sheet.append([person(1)[name] for name in FINNISH])
    sheet.cell(row=6, column=9).number_format = "0"  # formatted but empty: the sheet reaches row 6
    sheet.cell(row=6, column=1, value="")
    out = io.BytesIO()
    workbook.save(out)
    extract = run(unit, out.getvalue())
    assert extract.status == ExtractStatus.DONE, problems(extract)
    assert extract.rows_total == 1


def test_a_workbook_that_unpacks_to_more_than_allowed_is_refused_before_it_is_read(unit, settings):
    settings.REGISTRY_EXTRACT_MAX_UNPACKED_MB = 1
    data = workbook_bytes(3, extra_parts={"xl/media/padding.bin": b"\0" * 3_000_000})
    assert len(data) < 100_000
    assert problems(run(unit, data)) == [
        (
            0,
            "",
            "The workbook unpacks to 3 MB; the most accepted is 1 MB. Save the extract as CSV, or split "
            "it into parts.",
        )
    ]


def test_a_workbook_of_more_rows_than_allowed_is_refused_by_its_dimension(unit, settings):
    settings.REGISTRY_EXTRACT_MAX_ROWS = 3
    extract = run(unit, workbook_bytes(5))
    assert problems(extract) == [
        (0, "", "The file has more than 3 rows; the most an extract may have is 3. Split it into parts.")
    ]


def test_a_workbook_whose_sheet_does_not_give_its_dimension_is_refused(unit):
    """openpyxl would parse the whole sheet into memory to find its size (3.6 GB for a 250 MB sheet)."""
    extract = run(unit, workbook_bytes(3, dimension=False))
    assert problems(extract) == [
        (
            0,
            "",
            "The workbook does not say how large its sheet is. Open it in Excel or LibreOffice and save it "
            "again, or save the extract as CSV.",
        )
    ]


def test_a_zip_that_is_not_a_workbook_is_refused(unit):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert problems(run(unit, out.getvalue())) == [
        (0, "", "This is neither a CSV file nor an Excel workbook (XLSX) that can be read.")
    ]


# --- Abandoned extracts ----------------------------------------------------------------------------------


def abandoned(unit, *, minutes_ago: int, status=ExtractStatus.CHECKING) -> RegistryExtract:
    extract = RegistryExtract.objects.create(unit=unit, file_name="kuollut.csv", status=status)
    RegistryExtract.objects.filter(pk=extract.pk).update(
        updated_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return extract


def test_the_next_import_marks_an_extract_whose_process_died_failed(unit, settings, tmp_path):
    settings.REGISTRY_EXTRACT_DIR = tmp_path
    dead = abandoned(unit, minutes_ago=31)
    saving = abandoned(unit, minutes_ago=90, status=ExtractStatus.WRITING)
    alive = abandoned(unit, minutes_ago=5)
    upload = services.extract_path(dead)
    upload.write_bytes(b"left behind")
    run(unit, extract_csv([person(1)]))
    for extract in (dead, saving, alive):
        extract.refresh_from_db()
    assert (dead.status, dead.error) == (ExtractStatus.FAILED, "abandoned")
    assert saving.status == ExtractStatus.FAILED
    assert alive.status == ExtractStatus.CHECKING
    assert not upload.exists()


def test_the_extract_list_marks_an_abandoned_extract_failed(unit, worker):
    dead = abandoned(unit, minutes_ago=60)
    page = client_as(worker).get("/intake/extracts/", **EN).content.decode()
    dead.refresh_from_db()
    assert dead.status == ExtractStatus.FAILED
    assert "Checking the file" not in page


def test_the_management_command_marks_abandoned_extracts_failed(unit):
    dead = abandoned(unit, minutes_ago=60)
    out = io.StringIO()
    call_command("fail_abandoned_extracts", stdout=out)
    dead.refresh_from_db()
    assert dead.status == ExtractStatus.FAILED
    assert "1 abandoned" in out.getvalue()


# --- problems.csv cannot be turned against its reader ----------------------------------------------------


def test_problems_csv_neutralises_text_from_the_file_that_a_spreadsheet_would_run(unit, worker):
    header = [*FINNISH, '=HYPERLINK("http://example.invalid")']
    data = ",".join(header).encode() + b"\n"
    extract = run(unit, data, by=worker)
    download = client_as(worker).get(f"/intake/extracts/{extract.public_id}/problems.csv", **EN)
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://example.invalid")'
