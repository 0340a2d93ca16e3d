"""Who may take a client into IPS, read and manage their IPS records, and work with employers
(discovered at start-up by `AccountsConfig.ready`).

A client's IPS period and everything under it (career profile, benefits counselling, jobs,
follow-along) is a record of the coaching organisation's employment register: read like a contact
note by those who see the client, under the same consent rules; managed by that organisation's people
on the client's case team. Managers and work trial hosts never work with clients, so they see no
individual career profile or job; a manager sees the unit's figures. The employer side (employers,
contact people, the contact log, openings) is the coaching organisation's: its job coaches keep it, its
job coaches and managers read it; which job seekers a contact was on behalf of shows only to those who
may see the client.
"""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import rule
from polku.clients.access import disclosed_records, is_on_team, sees_client, works_with_clients
from polku.employment.models import IpsPeriod

EMPLOYER_SIDE_ROLES = (Role.JOB_COACH, Role.MANAGER)


def _own(membership: Membership, organisation_id: int) -> bool:
    return bool(organisation_id == membership.unit.organisation_id)


@rule("ips.enter")
def ips_enter(membership: Membership, case: Any) -> bool:
    """Take a client into IPS from their open case: the case organisation's people on its team."""
    return (
        works_with_clients(membership)
        and case.is_open
        and _own(membership, case.unit.organisation_id)
        and is_on_team(membership, case)
    )


@rule("ips.view")
def ips_view(membership: Membership, period: Any) -> bool:
    if not (works_with_clients(membership) and sees_client(membership, period)):
        return False
    if _own(membership, period.organisation_id):
        return True
    return IpsPeriod.objects.filter(pk=period.pk).filter(disclosed_records(membership)).exists()


@rule("ips.manage")
def ips_manage(membership: Membership, period: Any) -> bool:
    """Record in an open IPS period: the owning organisation's people on the case's team."""
    return (
        works_with_clients(membership)
        and period.closed_on is None
        and _own(membership, period.organisation_id)
        and is_on_team(membership, period.case)
    )


@rule("ips.caseload")
def ips_caseload(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.JOB_COACH)


@rule("ips.unit")
def ips_unit(membership: Membership, obj: Any) -> bool:
    """The unit's IPS figures (caseloads against the limit, outcomes, fidelity): aggregates only."""
    return membership.has_role(Role.JOB_COACH, Role.MANAGER)


@rule("ips.fidelity_record")
def ips_fidelity_record(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.JOB_COACH, Role.MANAGER)


@rule("employer.view")
def employer_view(membership: Membership, obj: Any) -> bool:
    """The employer side; with an object (a contact, an opening), only the viewer's organisation's."""
    if not membership.has_role(*EMPLOYER_SIDE_ROLES):
        return False
    owner_id = getattr(obj, "owner_id", None)
    return owner_id is None or _own(membership, owner_id)


@rule("employer.manage")
def employer_manage(membership: Membership, obj: Any) -> bool:
    """Add employers, contact people, contacts and openings: job coaches, in their own organisation's."""
    if not membership.has_role(Role.JOB_COACH):
        return False
    owner_id = getattr(obj, "owner_id", None)
    return owner_id is None or _own(membership, owner_id)
