"""manage.py import_registry FILE --unit UNIT: import a registry extract from the command line."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from polku.accounts.models import Unit
from polku.core.spreadsheets import safe_row, safe_rows
from polku.intake import reading_formats, services
from polku.intake.models import ExtractStatus


class Command(BaseCommand):
    help = (
        "Validate and import a registry extract (CSV or XLSX, see docs/registry-extract.md) into a unit, "
        "then screen the people in it. Exits non-zero, writing nothing, when the file is rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", required=True, help="The unit's id or exact name.")
        parser.add_argument(
            "--problems", type=Path, help="Write the problems of a rejected file to this CSV."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        unit = self._unit(options["unit"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            extract = services.create_extract_for_command(unit=unit, path=path)
        except reading_formats.Rejected as rejected:
            raise CommandError(rejected.problems[0].reason) from None
        report = None if options["no_progress"] else self._bar
        extract = services.run_import(extract=extract, data=path.read_bytes(), report=report)
        if not options["no_progress"]:
            sys.stderr.write("\n")
        if extract.status != ExtractStatus.DONE:
            # At most REGISTRY_EXTRACT_MAX_PROBLEMS rows and the "and more" note.
            problems = list(extract.problems.all())
            for problem in problems[:50]:
                self.stderr.write(f"line {problem.line}, {problem.column or '-'}: {problem.reason}")
            if len(problems) > 50:
                self.stderr.write(f"... and {len(problems) - 50} more problems")
            if extract.stopped_at_line and len(problems) > 50:
                self.stderr.write(problems[-1].reason)
            if options["problems"]:
                with options["problems"].open("w", newline="", encoding="utf-8") as out:
                    writer = csv.writer(out)
                    writer.writerow(safe_row(["line", "column", "reason"]))
                    writer.writerows(safe_rows((p.line, p.column, p.reason) for p in problems))
            more = " (checking stopped there; there may be more)" if extract.stopped_at_line else ""
            raise CommandError(
                f"The extract was rejected with {extract.problem_count} problems{more}; nothing was imported."
            )
        self.stdout.write(
            f"Imported {extract.rows_total} rows into {unit}: {extract.new_people} new, "
            f"{extract.changed_people} changed, {extract.unchanged_people} unchanged; "
            f"{extract.flagged_people} flagged by the screening rules."
        )

    def _unit(self, value: str) -> Unit:
        query = Q(name=value) | (Q(pk=int(value)) if value.isdigit() else Q())
        units = list(Unit.objects.filter(query).select_related("organisation")[:2])
        if len(units) != 1:
            raise CommandError(f"No single unit matches {value!r}: give its id or its exact name.")
        return units[0]

    def _bar(self, done: int, total: int) -> None:
        total = max(total, done, 1)
        filled = int(30 * done / total)
        sys.stderr.write(f"\rChecking [{'#' * filled}{' ' * (30 - filled)}] {done}/{total} rows")
        sys.stderr.flush()
