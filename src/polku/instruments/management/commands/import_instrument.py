import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.instruments.fhir_import import FhirImportError, import_questionnaire


class Command(BaseCommand):
    help = (
        "Import a questionnaire version from a FHIR R4 Questionnaire JSON file. A version already stored "
        "unchanged is left as it is; a published version that differs is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        try:
            version, created = import_questionnaire(data)
        except FhirImportError as error:
            raise CommandError(" ".join(error.messages)) from None
        verb = "Imported" if created else "Already stored:"
        self.stdout.write(f"{verb} {version.instrument.code} version {version.number} ({version.status}).")
