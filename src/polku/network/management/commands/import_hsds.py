from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.network import hsds


class Command(BaseCommand):
    help = (
        "Import services from a JSON array of Open Referral HSDS 3.0 services (the form export_hsds "
        "writes). Everything is validated first; nothing is written if any service is wrong. Running it "
        "again with the same file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            hsds.check_size(path.stat().st_size)
            document = hsds.read_document(path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        except hsds.DocumentError as error:
            raise CommandError(f"{options['file']}: {error}") from error
        result = hsds.import_document(document)
        if not result.ok:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} problem(s); nothing was imported.")
        self.stdout.write(f"Imported: {result.created} new services, {result.updated} updated.")
