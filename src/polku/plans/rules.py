"""Who may read and write service plans (discovered at start-up by `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership
from polku.accounts.permissions import once, rule
from polku.clients.access import disclosed_records, sees_client, works_with_clients
from polku.clients.rules import case_manage
from polku.plans.models import ServicePlan


@rule("plan.view")
def plan_view(membership: Membership, plan: Any) -> bool:
    """A service plan (its versions, reviews and PDF) is a record of the case organisation's register:
    readable by those who see the client, under the same consent rules as a contact note."""
    return (
        works_with_clients(membership)
        and sees_client(membership, plan)
        and once(
            ("plan_disclosed", membership.pk, plan.pk),
            lambda: (
                ServicePlan.objects.filter(pk=plan.pk)
                .filter(disclosed_records(membership, client=plan.client))
                .exists()
            ),
        )
    )


@rule("plan.edit")
def plan_edit(membership: Membership, case: Any) -> bool:
    """Start, edit and agree the plan of a case: those who manage the open case (its personal worker)."""
    return case_manage(membership, case)


@rule("plan.review")
def plan_review(membership: Membership, case: Any) -> bool:
    return case_manage(membership, case)
