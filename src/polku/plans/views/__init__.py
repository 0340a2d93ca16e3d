"""One module per area (assessment.py, plan.py); callers import from the package."""

from polku.plans.views.assessment import *  # noqa: F403
from polku.plans.views.plan import *  # noqa: F403
