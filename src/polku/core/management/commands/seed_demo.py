import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from polku.core.seeding import DEMO_PASSWORD, DemoContext


class Command(BaseCommand):
    help = (
        "Create the demo organisations, users and data. Deterministic and idempotent: running it again "
        "adds only what is missing and never changes or removes data entered meanwhile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with POLKU_DEBUG off (benchmark servers).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with POLKU_DEBUG on "
                "(or with --allow-production on a server that holds nothing but demo data)."
            )
        ctx = DemoContext(stdout=self.stdout)
        for config in apps.get_app_configs():
            if not config.name.startswith("polku."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        width = max((len(email) for email, _ in ctx.accounts), default=0)
        for email, description in ctx.accounts:
            self.stdout.write(f"  {email.ljust(width)}  {description}")
