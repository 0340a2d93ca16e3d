"""The service plan with its goals, actions and reviews (plan.py); the multidisciplinary assessment is
the assessments app's. This module gathers the models so Django and callers see one app."""

from polku.plans.models.plan import *  # noqa: F403
