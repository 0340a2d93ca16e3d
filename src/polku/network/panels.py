"""The client overview's referrals panel (a clients.extensions.Panel, contributed in apps.py)."""

from __future__ import annotations

from typing import Any

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.network import selectors

PANEL_SIZE = 10  # the newest referrals on the overview; the rest on the client's referrals page


def referrals(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The referrals the viewer may read, and whether they may refer from the current case (one query
    for the referrals; the team check is the one the page has already made)."""
    # One more than shown tells whether there are more, in the same query.
    newest = selectors.newest_referrals(client, viewer=viewer, count=PANEL_SIZE + 1)
    return {
        "referrals": newest[:PANEL_SIZE],
        "more": len(newest) > PANEL_SIZE,
        "client": client,
        "case": current,
        "can_refer": bool(current and permissions.can(viewer, "referral.create", current)),
    }
