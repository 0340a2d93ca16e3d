"""The service plan with its goals, actions and versions (plan.py) and its follow-up: reviews, action
progress and events (followup.py); the multidisciplinary assessment is the assessments app's. This
module gathers the models so Django and callers see one app."""

from polku.plans.models.followup import *  # noqa: F403
from polku.plans.models.plan import *  # noqa: F403
