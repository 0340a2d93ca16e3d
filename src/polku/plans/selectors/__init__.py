"""The service plan: scoped reads (plan.py), the differences between versions (diff.py) and progress
(progress.py); callers import from the package. The links from an assessment's
recommendations to the plan live in polku.assessments.links."""

from polku.plans.selectors.diff import *  # noqa: F403
from polku.plans.selectors.plan import *  # noqa: F403
from polku.plans.selectors.progress import *  # noqa: F403
