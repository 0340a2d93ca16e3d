from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero and name the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"{result.first_break} ({result.checked} events verified before it)")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} events verified."))
