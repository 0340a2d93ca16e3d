from typing import Any

from django.core.management.base import BaseCommand

from polku.audit.services import seal_pending


class Command(BaseCommand):
    help = (
        "Link audit events still waiting for their seal into the hash chain. Page views seal as they go; "
        "run this every minute (cron, a systemd timer) so that nothing waits long after a quiet moment."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_pending(wait=True, max_batches=None)
        self.stdout.write(f"Sealed {sealed} audit events.")
