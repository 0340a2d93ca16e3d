"""Who of the staff may read and answer a client's messages from their own Polku: a team member of the
message's case now (or within break-the-glass, as for the client's other data)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership
from polku.accounts.permissions import rule
from polku.clients.access import is_on_team, sees_client, works_with_clients


@rule("portal.message.view")
def message_view(membership: Membership, client: Any) -> bool:
    return works_with_clients(membership) and sees_client(membership, client)


@rule("portal.message.send")
def message_send(membership: Membership, case: Any) -> bool:
    return works_with_clients(membership) and is_on_team(membership, case)


@rule("portal.questionnaire.request")
def questionnaire_request(membership: Membership, case: Any) -> bool:
    """Ask the client to fill in a questionnaire in their own Polku: a team member of the open case, the
    same people who may fill one in with the client (`instrument.respond`)."""
    return (
        works_with_clients(membership)
        and case.is_open
        and is_on_team(membership, case)
        and case.unit.organisation_id == membership.unit.organisation_id
    )
