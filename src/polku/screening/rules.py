"""Who may screen for and act on support needs (discovered at start-up by `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership
from polku.accounts.permissions import rule
from polku.clients.access import sees_client, works_with_clients
from polku.clients.rules import client_edit


@rule("need.screen")
def need_screen(membership: Membership, obj: Any) -> bool:
    """Run the screening rules for a client the worker sees (after a questionnaire or a registry match)."""
    return works_with_clients(membership) and sees_client(membership, obj)


@rule("need.manage")
def need_manage(membership: Membership, obj: Any) -> bool:
    """Mark a need acted on or dismissed: the flagging organisation's people on the team of one of the
    client's open cases (as `client.edit`); another organisation's need is theirs to act on."""
    return obj.organisation_id == membership.unit.organisation_id and client_edit(membership, obj)
