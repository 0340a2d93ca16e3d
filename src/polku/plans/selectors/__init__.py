"""The service plan (plan.py); callers import from the package. The links between an assessment's
recommendations and the plan are in links.py, imported by name."""

from polku.plans.selectors.plan import *  # noqa: F403
