"""Who may see the figures (discovered at start-up by `AccountsConfig.ready`). Managers see aggregates
of their organisation (and county and national totals); personal workers their own caseload's."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import rule


@rule("insights.view")
def insights_view(membership: Membership, obj: Any) -> bool:
    """The dashboard, its definitions and downloads: managers, and personal workers for their caseload."""
    return membership.has_role(Role.MANAGER, Role.PERSONAL_WORKER)


@rule("insights.target")
def insights_target(membership: Membership, target: Any) -> bool:
    """Set and correct targets: the organisation's managers."""
    return membership.has_role(Role.MANAGER) and (
        target is None or target.organisation_id == membership.unit.organisation_id
    )


@rule("insights.situation")
def insights_situation(membership: Membership, obj: Any) -> bool:
    """The situation report of a municipality: the organisation's managers."""
    return membership.has_role(Role.MANAGER)


@rule("insights.extract")
def insights_extract(membership: Membership, obj: Any) -> bool:
    """The pseudonymised research extract of the organisation's cases: its managers."""
    return membership.has_role(Role.MANAGER)
