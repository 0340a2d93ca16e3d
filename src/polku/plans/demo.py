"""Demo data of the plans app for `manage.py seed_demo`: each area seeds its own (demo_assessment.py,
demo_plan.py)."""

from __future__ import annotations

from polku.core.seeding import DemoContext
from polku.plans import demo_plan
from polku.plans.demo_assessment import seed_assessments


def seed(ctx: DemoContext) -> None:
    seed_assessments(ctx)
    demo_plan.seed(ctx)
