"""Who may read and write service plans (discovered at start-up by `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership
from polku.accounts.permissions import once, rule
from polku.clients.access import disclosers, sees_client, works_with_clients
from polku.clients.rules import case_manage
from polku.core import sql


@rule("plan.view")
def plan_view(membership: Membership, plan: Any) -> bool:
    """A service plan (its versions, reviews and PDF) is a record of the case organisation's register:
    readable by those who see the client, under the same consent rules as a contact note."""
    return (
        works_with_clients(membership)
        and sees_client(membership, plan)
        and once(("plan_disclosed", membership.pk, plan.pk), lambda: _disclosed(membership, plan))
    )


def _disclosed(membership: Membership, plan: Any) -> bool:
    """The plan is the viewer's organisation's, or another's the client's consents valid today disclose
    to it (`disclosed_records` of the plan, `Disclosers.sql`): one query, written as SQL (`core.sql`)
    since every client overview with a plan asks it and the ORM took half a millisecond to build it."""
    disclosed, params = disclosers(membership, plan.client).sql("plan")
    return bool(
        sql.rows(
            f"SELECT 1 FROM plans_serviceplan plan WHERE plan.id = %s AND {disclosed}",  # noqa: S608 - placeholders
            [plan.pk, *params],
        )
    )


@rule("plan.edit")
def plan_edit(membership: Membership, case: Any) -> bool:
    """Start, edit and agree the plan of a case: those who manage the open case (its personal worker)."""
    return case_manage(membership, case)


@rule("plan.review")
def plan_review(membership: Membership, case: Any) -> bool:
    return case_manage(membership, case)
