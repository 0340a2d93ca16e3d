"""The service plan: its drafts (plan.py), agreeing them and starting the next version (agreement.py)
and the follow-up of an agreed plan (reviews.py); callers import from the package. The links from an
assessment's recommendations to the plan live in polku.assessments.links."""

from polku.plans.services.agreement import *  # noqa: F403
from polku.plans.services.plan import *  # noqa: F403
from polku.plans.services.reviews import *  # noqa: F403
