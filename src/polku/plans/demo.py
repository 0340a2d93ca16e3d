"""Demo data of the plans app for `manage.py seed_demo`: the service plans (demo_plan.py)."""

from __future__ import annotations

from polku.core.seeding import DemoContext
from polku.plans import demo_plan


def seed(ctx: DemoContext) -> None:
    demo_plan.seed(ctx)
