"""CSV and XLSX files of one protected table; every text cell neutralised (`core.spreadsheets`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
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


def situation_xlsx(report: Any) -> bytes:
    """The situation report as a workbook: one sheet per table, hidden counts as their marks."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    about = f"{report.municipality} {report.on:%d.%m.%Y}"
    for title, rows in ((_("Age group"), report.age), (_("Unemployment duration"), report.duration)):
        sheet = workbook.create_sheet(str(title)[:31])
        sheet.append(safe_row([about]))
        sheet.append(
            safe_row([str(title), *[str(c) for c in report.columns], str(_("Total")), str(_("Change"))])
        )
        for label, cells, total, change in rows:
            sheet.append(
                safe_row(
                    [str(label), *[c.text for c in cells], total.text, change if change is not None else ""]
                )
            )
        sheet.append(
            safe_row(
                [
                    str(_("Total")),
                    *[c.text for c in report.status_totals],
                    report.total.text,
                    report.total_change if report.total_change is not None else "",
                ]
            )
        )
    sheet = workbook.create_sheet(str(_("Support needs"))[:31])
    sheet.append(safe_row([about]))
    sheet.append(safe_row([str(_("Support need")), str(_("People")), str(_("Change"))]))
    for label, cell, change in report.needs:
        sheet.append(safe_row([str(label), cell.text, change if change is not None else ""]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
