"""Who may read the service catalogue and make, send and answer referrals (discovered at start-up by
`AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import once, rule
from polku.clients.access import disclosed_records, is_on_team, sees_client, works_with_clients
from polku.network.models import Referral


@rule("catalogue.view")
def catalogue_view(membership: Membership, obj: Any) -> bool:
    """The catalogue holds no client data: any staff member but an external work trial host reads it."""
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("catalogue.export")
def catalogue_export(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("referral.create")
def referral_create(membership: Membership, case: Any) -> bool:
    """Refer from a case: members of its team while it is open."""
    return works_with_clients(membership) and case.is_open and is_on_team(membership, case)


def sends(membership: Membership, referral: Any) -> bool:
    """The sending side: the referring organisation's people on the team of the referral's open case."""
    return (
        works_with_clients(membership)
        and referral.organisation_id == membership.unit.organisation_id
        and referral.case.is_open
        and is_on_team(membership, referral.case)
    )


def receives(membership: Membership, referral: Any) -> bool:
    """Staff of the service's receiving unit, once the referral has been sent to them."""
    return (
        referral.service.unit_id is not None
        and referral.service.unit_id == membership.unit_id
        and referral.status != "draft"
        and not membership.has_role(Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST)
    )


def provider_in_polku(service: Any) -> bool:
    """Whether the service's receiving unit has staff in Polku to answer referrals themselves."""
    if service.unit_id is None:
        return False
    return once(
        ("unit_has_staff", service.unit_id),
        lambda: (
            Membership.objects.active()
            .filter(unit_id=service.unit_id)
            .exclude(role__in=[Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST])
            .exists()
        ),
    )


@rule("referral.view")
def referral_view(membership: Membership, referral: Any) -> bool:
    """The sending side: those who see the client, under the consent rules of the referral's register.
    The receiving unit reads it through `referral.view_incoming`, which shows less."""
    return (
        works_with_clients(membership)
        and sees_client(membership, referral)
        and Referral.objects.filter(pk=referral.pk).filter(disclosed_records(membership)).exists()
    )


@rule("referral.view_incoming")
def referral_view_incoming(membership: Membership, referral: Any) -> bool:
    return receives(membership, referral)


@rule("referral.send")
def referral_send(membership: Membership, referral: Any) -> bool:
    return sends(membership, referral)


@rule("referral.answer")
def referral_answer(membership: Membership, referral: Any) -> bool:
    """The provider's answers (accepted, declined, started, ...): its receiving unit's staff when it is in
    Polku; otherwise the sending side records what the provider said."""
    if provider_in_polku(referral.service):
        return receives(membership, referral)
    return sends(membership, referral)


@rule("referral.incoming")
def referral_incoming(membership: Membership, obj: Any) -> bool:
    """The list of referrals sent to the viewer's unit."""
    return not membership.has_role(Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST)


@rule("referral.view_or_incoming")
def referral_view_or_incoming(membership: Membership, referral: Any) -> bool:
    """Either side's page of the referral; what it shows depends on which side the viewer is."""
    return referral_view(membership, referral) or receives(membership, referral)
