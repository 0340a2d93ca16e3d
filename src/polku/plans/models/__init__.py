"""The plans app is two areas worked on side by side: the multidisciplinary assessment (assessment.py)
and the service plan with its goals, actions and reviews (plan.py). Each layer is a package with one
module per area; this module gathers the models so Django and callers see one app."""

from polku.plans.models.assessment import *  # noqa: F403
from polku.plans.models.plan import *  # noqa: F403
