"""One module per area (assessment.py, plan.py); callers import from the package."""

from polku.plans.services.assessment import *  # noqa: F403
from polku.plans.services.plan import *  # noqa: F403
