from typing import Any

from django.core.management.base import BaseCommand

from polku.insights import services


class Command(BaseCommand):
    help = "Refresh the facts of knowledge-based management: the cases changed since the last run, or all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="Rebuild the facts of every case.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = services.refresh_all() if options["all"] else services.refresh_changed()
        self.stdout.write(f"Refreshed the facts of {written} cases.")
