"""Who may do what with clients and cases (discovered at start-up by `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import rule
from polku.clients.access import (
    client_of,
    is_on_client_team,
    is_on_open_case_team,
    is_on_team,
    is_personal_worker_of,
    sees_client,
    works_with_clients,
)


@rule("caseload.view")
def caseload_view(membership: Membership, obj: Any) -> bool:
    return works_with_clients(membership)


@rule("client.create")
def client_create(membership: Membership, obj: Any) -> bool:
    # Personal workers open cases; other professionals join the teams of cases already open.
    return membership.has_role(Role.PERSONAL_WORKER)


@rule("client.view")
def client_view(membership: Membership, obj: Any) -> bool:
    return works_with_clients(membership) and sees_client(membership, obj)


@rule("client.break_glass")
def client_break_glass(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.PERSONAL_WORKER)


@rule("client.edit")
def client_edit(membership: Membership, obj: Any) -> bool:
    """Edit a client's details and records: those on the team of one of the client's open cases."""
    return works_with_clients(membership) and is_on_open_case_team(membership, client_of(obj))


@rule("case.open")
def case_open(membership: Membership, obj: Any) -> bool:
    """Open a new case in the personal worker's unit for a client whose case team they are on. Seeing
    the client through break-the-glass is not enough: that access is temporary, and a case from it is its
    own step (`case.open_from_break_glass`)."""
    return membership.has_role(Role.PERSONAL_WORKER) and is_on_client_team(membership, client_of(obj))


@rule("case.open_from_break_glass")
def case_open_from_break_glass(membership: Membership, obj: Any) -> bool:
    """Open a case in the personal worker's unit for a client they see only through break-the-glass:
    confirmed with a reason of its own and told to the client's personal workers
    (`services.open_case_from_break_glass`)."""
    client = client_of(obj)
    return (
        membership.has_role(Role.PERSONAL_WORKER)
        and not is_on_client_team(membership, client)
        and sees_client(membership, client)
    )


@rule("case.manage")
def case_manage(membership: Membership, case: Any) -> bool:
    """Status, next step, closing, hand-over and team: the case's personal worker, or a personal
    worker of the same unit when the case has none (a hand-over after someone has left)."""
    if not case.is_open:
        return False
    if case.personal_worker_id == membership.pk:
        return True
    return (
        case.personal_worker_id is None
        and membership.has_role(Role.PERSONAL_WORKER)
        and membership.unit_id == case.unit_id
    )


@rule("case.record_contact")
def case_record_contact(membership: Membership, case: Any) -> bool:
    return case.is_open and is_on_team(membership, case)


@rule("consent.record")
def consent_record(membership: Membership, obj: Any) -> bool:
    return client_edit(membership, obj)


@rule("client.reveal_identity_code")
def client_reveal_identity_code(membership: Membership, obj: Any) -> bool:
    return works_with_clients(membership) and sees_client(membership, obj)


@rule("client.access_report")
def client_access_report(membership: Membership, obj: Any) -> bool:
    # The report names every organisation and role that touched the client (a nurse's visit tells of a
    # health care relationship), so it is for the personal worker who answers the client, like the export.
    return client_export(membership, obj)


@rule("client.export")
def client_export(membership: Membership, obj: Any) -> bool:
    # The personal worker answers the client's request; other team members ask them.
    return is_personal_worker_of(membership, client_of(obj)) and sees_client(membership, obj)
