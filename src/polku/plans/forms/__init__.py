"""One module per area (assessment.py, plan.py); callers import from the package."""

from polku.plans.forms.assessment import *  # noqa: F403
from polku.plans.forms.plan import *  # noqa: F403
