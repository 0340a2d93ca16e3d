"""The service plan: the plan and its draft (plan.py), versions (versions.py) and follow-up (reviews.py);
callers import from the package. The links from an assessment's
recommendations to the plan live in polku.assessments.links."""

from polku.plans.views.plan import *  # noqa: F403
from polku.plans.views.reviews import *  # noqa: F403
from polku.plans.views.versions import *  # noqa: F403
