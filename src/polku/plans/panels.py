"""The client overview's service plan panel (contributed as a clients.extensions.Panel)."""

from __future__ import annotations

from typing import Any

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.plans.selectors.progress import plan_progress


def overview_panel(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The plan panel on the client overview: progress over reviews when the viewer may read the plan,
    the way to start one when they may; nothing otherwise."""
    progress = plan_progress(client, current, viewer=viewer)
    can_edit = bool(current and current.is_open and permissions.can(viewer, "plan.edit", current))
    if progress is None and not can_edit:
        return None
    return {"progress": progress, "current": current, "can_edit": can_edit}
