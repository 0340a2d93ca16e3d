"""One module per area (assessment.py, plan.py); callers import from the package."""

from polku.plans.selectors.assessment import *  # noqa: F403
from polku.plans.selectors.plan import *  # noqa: F403
