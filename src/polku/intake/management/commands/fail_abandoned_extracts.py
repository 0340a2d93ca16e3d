"""manage.py fail_abandoned_extracts: mark failed the extracts whose import process died (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from polku.intake import services


class Command(BaseCommand):
    help = (
        "Mark failed every registry extract still checking or saving longer than "
        "REGISTRY_EXTRACT_STALE_MINUTES after its last progress (its process died), and remove its upload."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.fail_abandoned_extracts()
        self.stdout.write(f"{count} abandoned extract(s) marked failed.")
