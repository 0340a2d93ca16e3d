from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from polku.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain against itself and the newest signed checkpoint; exit non-zero "
        "and name the first broken event, or the events missing since the checkpoint."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="The checkpoint file to compare with, such as the copy shipped elsewhere "
            "(default: POLKU_AUDIT_CHECKPOINT_FILE).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["checkpoints"] or settings.AUDIT_CHECKPOINT_FILE
        result = verify_chain(checkpoint_file=path)
        if not result.ok:
            raise CommandError(f"{result.first_break} ({result.checked} events verified before it)")
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} events verified."))
        if result.checkpoint is None:
            self.stdout.write(
                self.style.WARNING(f"No checkpoint to compare with in {path}: run `manage.py seal_audit`.")
            )
        else:
            self.stdout.write(
                f"It holds the {result.checkpoint.count} events that {result.checkpoint} recorded."
            )
