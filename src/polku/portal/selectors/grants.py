"""My consents: those I have given or that were recorded for me, and the organisations I can give one
between."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from polku.accounts.models import Organisation
from polku.clients.models import Case, CaseTeamMember, Client, Consent


def consents(client: Client) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(client=client)
        .select_related("discloser", "recipient")
        .order_by("revoked_on", "-valid_from", "-id")
    )


def consent(client: Client, public_id: uuid.UUID) -> tuple[Consent | None, Consent | None]:
    """(the client's own consent, or None; another client's consent with that id, or None): the view
    audits the second as a refusal."""
    found = Consent.objects.select_related("client").filter(public_id=public_id).first()
    if found is None:
        return None, None
    return (found, None) if found.client_id == client.pk else (None, found)


def consent_organisations(client: Client) -> list[Organisation]:
    """The organisations working with me now (my open cases' units and their team members'
    organisations): those I can give a consent between in my own Polku."""
    cases = Case.objects.filter(client=client, closed_on__isnull=True)
    ids = set(cases.values_list("unit__organisation_id", flat=True)) | set(
        CaseTeamMember.objects.filter(case__in=cases, ended_on__isnull=True).values_list(
            "membership__unit__organisation_id", flat=True
        )
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))
