"""Fixtures for the links between the assessment, the service plan and the catalogue: the clients
personas (tests/conftest.py, tests/clients/conftest.py), a concluded assessment with two recommendations
in the worker's case, and catalogue services."""

from __future__ import annotations

import pytest

from polku.assessments.models import Assessment
from tests.assessments import conftest as assessment_conftest
from tests.assessments.conftest import conclude, finding, meeting
from tests.network import conftest as network_conftest
from tests.plans.plan import conftest as plan_conftest
from tests.plans.plan.conftest import (  # noqa: F401 - helpers re-exported
    EN,
    agreed_plan,
    days_ago,
    draft_with_goals,
    goal_values,
    text,
    today,
)

# The personas' fixtures (tests/clients/conftest.py through the plan and assessment conftests).
case = plan_conftest.case
consent = plan_conftest.consent
team_colleague = plan_conftest.team_colleague
assessment = assessment_conftest.assessment
espoo_on_team = assessment_conftest.espoo_on_team
# The catalogue's categories, put back after a transactional test's flush.
catalogue_taxonomy = network_conftest.catalogue_taxonomy


@pytest.fixture
def concluded(assessment, worker, team_colleague) -> Assessment:
    """The worker's concluded assessment: "IPS-työhönvalmennus" and "Fysioterapia selälle"."""
    finding(assessment, team_colleague)
    meeting(assessment, worker)
    return conclude(assessment, worker)


def recommendations(assessment: Assessment) -> list:
    return list(assessment.recommendations.order_by("order"))
