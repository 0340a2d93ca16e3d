"""`manage.py rules`: every action Polku knows and the function that decides it.

Answers "who decides whether someone may interrupt a work trial?" without searching: each line names
the action, then the module and function of its rule
(`placement.manage  polku.placements.rules.placement_manage`).
"""

from typing import Any

from django.core.management.base import BaseCommand

from polku.accounts import permissions


class Command(BaseCommand):
    help = "List every permission action with the module and function that decides it."

    def handle(self, *args: Any, **options: Any) -> None:
        deciders = permissions.deciders()
        width = max(map(len, deciders), default=0)
        for action, check in deciders.items():
            self.stdout.write(f"{action.ljust(width)}  {check.__module__}.{check.__qualname__}")
