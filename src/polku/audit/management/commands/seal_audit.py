from typing import Any

from django.core.management.base import BaseCommand, CommandError

from polku.audit.checkpoints import CheckpointFileError
from polku.audit.services import ChainRewound, checkpoint_write, seal_pending


class Command(BaseCommand):
    help = (
        "Link audit events still waiting for their seal into the hash chain, then append a signed checkpoint "
        "of the chain head to the checkpoint file and the log. Page views seal as they go; run this every "
        "minute (cron, a systemd timer) so that nothing waits long after a quiet moment and the newest "
        "checkpoint is never more than a minute old."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-checkpoint", action="store_true", help="Seal only; write no checkpoint of the chain head."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_pending(wait=True, max_batches=None)
        self.stdout.write(f"Sealed {sealed} audit events.")
        if options["no_checkpoint"]:
            return
        try:
            checkpoint = checkpoint_write()
        except (ChainRewound, CheckpointFileError) as error:
            raise CommandError(f"No checkpoint written: {error}") from None
        self.stdout.write(f"Checkpoint: {checkpoint.count} events, head {checkpoint.hash}.")
