"""Shared fixtures for the service plan tests: the clients personas (tests/clients/conftest.py) and a
plan agreed with two goals."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from polku.plans import services
from polku.plans.models import PlanVersion, ServicePlan
from tests.clients import conftest as clients_conftest
from tests.clients.conftest import (  # noqa: F401 - helpers re-exported for the tests
    EN,
    days_ago,
    events,
    open_case_for,
    text,
    today,
)

# The clients personas' fixtures, for the plan tests.
case = clients_conftest.case
consent = clients_conftest.consent
team_colleague = clients_conftest.team_colleague


def goal_values(words: str = "Haluan päästä työkokeiluun keittiöön", **extra: Any) -> dict[str, Any]:
    values = {
        "text": words,
        "level_minus_2": "En ole hakenut mitään",
        "level_minus_1": "Olen tutustunut vaihtoehtoihin",
        "level_0": "Olen aloittanut työkokeilun",
        "level_plus_1": "Työkokeilu jatkuu kuukauden",
        "level_plus_2": "Olen saanut työpaikan",
        "baseline_level": -1,
        "weight": 1,
    }
    return values | extra


def draft_with_goals(case, *, by=None, goals: int = 2) -> PlanVersion:
    by = by or case.personal_worker
    plan = services.start_plan(case=case, by=by)
    version = plan.versions.get()
    texts = ["Haluan päästä työkokeiluun keittiöön", "Haluan nukkua paremmin"]
    for index in range(goals):
        goal = services.save_goal(
            version=version, by=by, **goal_values(texts[index % 2] + " " * (index // 2))
        )
        services.save_action(
            goal=goal,
            by=by,
            what=f"Toimenpide {index + 1}",
            responsible="worker",
            due_on=None,
            status="planned",
        )
    return version


def agreed_plan(case, *, by=None, goals: int = 2, on: date | None = None) -> ServicePlan:
    by = by or case.personal_worker
    version = draft_with_goals(case, by=by, goals=goals)
    services.agree_version(version=version, by=by, agreed_on=on or days_ago(30), method="in_person")
    return ServicePlan.objects.get(pk=version.plan_id)


@pytest.fixture
def plan(case) -> ServicePlan:
    return agreed_plan(case)
