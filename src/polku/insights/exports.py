"""CSV and XLSX files of one protected table; every text cell neutralised (`core.spreadsheets`)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from polku.core.spreadsheets import safe_row, safe_rows
from polku.insights.figures import Download


def as_csv(table: Download, caption: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(safe_row([caption]))
    writer.writerow(safe_row(table.header))
    writer.writerows(safe_rows(table.rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(table: Download, caption: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.key[:31]
    sheet.append(safe_row([caption]))
    sheet.append(safe_row(table.header))
    for row in safe_rows(table.rows):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
