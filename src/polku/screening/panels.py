"""The client overview's support-needs section (clients.extensions.Panel)."""

from __future__ import annotations

from typing import Any

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.screening import selectors


def support_needs(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any]:
    """The needs the viewer may read with their evidence (two queries, written as SQL:
    `selectors.panel_needs`), and whether they may act on their own organisation's open needs (the
    question the page has already asked about the client)."""
    return {
        "needs": selectors.panel_needs(client, viewer=viewer),
        "can_edit": permissions.can(viewer, "client.edit", client),
        "organisation_id": viewer.unit.organisation_id,
    }
