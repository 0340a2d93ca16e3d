import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from polku.audit import services as audit
from polku.network import hsds


class Command(BaseCommand):
    help = "Write the service catalogue as a JSON array of Open Referral HSDS 3.0 services (compiled form)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the JSON; - for standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        document = hsds.export_services()
        for index, item in enumerate(document):
            problems = hsds.schema_errors(item)
            if problems:
                raise CommandError(f"service {index + 1} ({item['id']}) is not valid HSDS: {problems[0]}")
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        if options["file"] == "-":
            self.stdout.write(text, ending="")
        else:
            with open(options["file"], "w", encoding="utf-8") as out:
                out.write(text)
            self.stderr.write(f"{len(document)} services written to {options['file']}.")
        audit.record(None, "catalogue.export", details={"services": len(document), "via": "command"})
