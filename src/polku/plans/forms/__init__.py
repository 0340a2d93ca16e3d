"""The service plan (plan.py); callers import from the package. The links from an assessment's
recommendations to the plan live in polku.assessments.links."""

from polku.plans.forms.plan import *  # noqa: F403
