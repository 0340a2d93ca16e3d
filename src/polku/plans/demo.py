"""Demo data of the plans app for `manage.py seed_demo` (demo_plan.py); the assessments app seeds its
own before it (it comes first in INSTALLED_APPS)."""

from __future__ import annotations

from polku.core.seeding import DemoContext
from polku.plans import demo_plan


def seed(ctx: DemoContext) -> None:
    demo_plan.seed(ctx)
