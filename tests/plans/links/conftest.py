"""Fixtures for the links between the assessment, the service plan and the catalogue: the clients
personas (tests/conftest.py, tests/clients/conftest.py), a concluded assessment with two recommendations
in the worker's case, and catalogue services."""

from __future__ import annotations

import pytest

from polku.plans.models import Assessment
from tests.plans.assessment.conftest import (  # noqa: F401 - fixtures and helpers re-exported
    assessment,
    conclude,
    espoo_on_team,
    finding,
    meeting,
)
from tests.plans.plan.conftest import (  # noqa: F401 - fixtures and helpers re-exported
    EN,
    agreed_plan,
    case,
    consent,
    days_ago,
    draft_with_goals,
    goal_values,
    team_colleague,
    text,
    today,
)
from tests.services.conftest import _taxonomy  # noqa: F401 - the catalogue's categories after a flush


@pytest.fixture
def concluded(assessment, worker, team_colleague) -> Assessment:
    """The worker's concluded assessment: "IPS-työhönvalmennus" and "Fysioterapia selälle"."""
    finding(assessment, team_colleague)
    meeting(assessment, worker)
    return conclude(assessment, worker)


def recommendations(assessment: Assessment) -> list:
    return list(assessment.recommendations.order_by("order"))
