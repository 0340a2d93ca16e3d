"""Who may import registry extracts and work the early-identification worklist (discovered at start-up
by `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import rule


@rule("intake.import")
def intake_import(membership: Membership, obj: Any) -> bool:
    """Import a registry extract for the worker's own unit: its personal workers."""
    return membership.has_role(Role.PERSONAL_WORKER)


@rule("intake.worklist")
def intake_worklist(membership: Membership, obj: Any) -> bool:
    """A unit's worklist, its extracts and the people on it: only that unit's personal workers."""
    return membership.has_role(Role.PERSONAL_WORKER) and (obj is None or obj.unit_id == membership.unit_id)
