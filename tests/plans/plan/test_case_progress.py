"""Agreeing the service plan ends planning: the case moves to "Active services", recorded with the
worker who recorded the agreement and the cause."""

from __future__ import annotations

from polku.clients.models import CaseStatus, CaseStatusChange
from tests.plans.plan.conftest import agreed_plan


def test_an_agreed_plan_moves_the_case_on_with_a_history_row(case, worker):
    agreed_plan(case, by=worker)

    case.refresh_from_db()
    change = CaseStatusChange.objects.filter(case=case).latest("at", "id")
    assert case.status == CaseStatus.ACTIVE_SERVICES
    assert (change.previous_status, change.by, change.cause) == (CaseStatus.IDENTIFIED, worker, "plan.agreed")
