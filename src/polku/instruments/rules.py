"""Who may read, manage and answer questionnaires (discovered at start-up by `AccountsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from polku.accounts.models import Membership, Role
from polku.accounts.permissions import rule
from polku.clients.access import disclosed_records, is_on_team, sees_client, works_with_clients
from polku.instruments.models import Response


@rule("instrument.view")
def instrument_view(membership: Membership, obj: Any) -> bool:
    """Questionnaire definitions hold no client data: any staff member may read and download them."""
    return not membership.has_role(Role.WORK_TRIAL_HOST)


@rule("instrument.manage")
def instrument_manage(membership: Membership, obj: Any) -> bool:
    return membership.has_role(Role.ADMINISTRATOR)


@rule("instrument.respond")
def instrument_respond(membership: Membership, case: Any) -> bool:
    """Fill in a questionnaire in a case (with the client present): team members of an open case."""
    return works_with_clients(membership) and case.is_open and is_on_team(membership, case)


@rule("response.view")
def response_view(membership: Membership, response: Any) -> bool:
    """A response is a record of the answering organisation's register (the instrument's register):
    readable like a contact note, by those who see the client, under the same consent rules."""
    return (
        works_with_clients(membership)
        and sees_client(membership, response)
        and Response.objects.filter(pk=response.pk).filter(disclosed_records(membership)).exists()
    )


@rule("response.correct")
def response_correct(membership: Membership, response: Any) -> bool:
    return response.is_completed and instrument_respond(membership, response.case)


@rule("safety_alert.acknowledge")
def safety_alert_acknowledge(membership: Membership, alert: Any) -> bool:
    """Any member of the case team who may read the response that raised it; the alert is theirs to act
    on."""
    return (
        works_with_clients(membership)
        and is_on_team(membership, alert.case)
        and Response.objects.filter(pk=alert.response_id).filter(disclosed_records(membership)).exists()
    )
