import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from polku.instruments import fhir, selectors


class Command(BaseCommand):
    help = "Print a questionnaire version as FHIR R4 Questionnaire JSON (the published one unless --version)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # `--version N` names the questionnaire version; it replaces Django's own --version flag here.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument("--version", dest="number", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = selectors.version_for_export(options["code"], options["number"])
        except Http404:
            raise CommandError(
                f"No such instrument version: {options['code']} {options['number'] or ''}"
            ) from None
        self.stdout.write(json.dumps(fhir.questionnaire(version), ensure_ascii=False, indent=2))
