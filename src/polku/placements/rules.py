"""Who may start, read and manage placements: work trials and rehabilitative work activity
(discovered at start-up by `AccountsConfig.ready`).

A placement is a record of the case organisation's register (employment services or social welfare):
read like a contact note, by those who see the client, under the same consent rules. The case team of
the owning organisation manages it. A work trial host (Role.WORK_TRIAL_HOST) sees only the placements
hosted by their own unit, and only to enter attendance and give the host's feedback; nothing else of
the client.
"""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import rule
from polku.clients.access import disclosed_records, is_on_team, sees_client, works_with_clients
from polku.placements.models import Placement


def _disclosed(membership: Membership, placement: Any) -> bool:
    if placement.organisation_id == membership.unit.organisation_id:
        return True
    return Placement.objects.filter(pk=placement.pk).filter(disclosed_records(membership)).exists()


def hosts_placement(membership: Membership, placement: Any) -> bool:
    return membership.has_role(Role.WORK_TRIAL_HOST) and placement.host_unit_id == membership.unit_id


@rule("placement.create")
def placement_create(membership: Membership, case: Any) -> bool:
    """Start a placement in an open case: the case organisation's people on its team."""
    return (
        works_with_clients(membership)
        and case.is_open
        and case.unit.organisation_id == membership.unit.organisation_id
        and is_on_team(membership, case)
    )


@rule("placement.view")
def placement_view(membership: Membership, placement: Any) -> bool:
    return (
        works_with_clients(membership)
        and sees_client(membership, placement)
        and _disclosed(membership, placement)
    )


@rule("placement.manage")
def placement_manage(membership: Membership, placement: Any) -> bool:
    """Edit, interrupt, send feedback links: the owning organisation's people on the case team."""
    return placement_create(membership, placement.case) and placement.organisation_id == (
        membership.unit.organisation_id
    )


@rule("placement.record_attendance")
def placement_record_attendance(membership: Membership, placement: Any) -> bool:
    return hosts_placement(membership, placement) or placement_manage(membership, placement)


@rule("placement.give_feedback")
def placement_give_feedback(membership: Membership, placement: Any) -> bool:
    """The host's feedback in Polku: a work trial host of the unit hosting the placement (as through the
    emailed link, which the supervisor gets without an account); the case team asks, it does not answer."""
    return hosts_placement(membership, placement)


@rule("placement.host_list")
def placement_host_list(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.WORK_TRIAL_HOST)
