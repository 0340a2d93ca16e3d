"""What the client reads in their own Polku: always their own records, found from the client (never
from an id in the address alone), so another client's ids cannot reach anything."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from polku.audit.models import AuditEvent
from polku.clients import selectors as client_selectors
from polku.clients.models import Case, Client, Consent
from polku.plans.models import ServicePlan


def signed_in_client(public_id: str | None) -> Client | None:
    """The client of a portal session (the session holds only the public id)."""
    if not public_id:
        return None
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    return Client.objects.select_related("municipality").filter(public_id=key).first()


def open_cases(client: Client) -> list[Case]:
    return list(
        Case.objects.filter(client=client, closed_on__isnull=True)
        .select_related("unit__organisation", "personal_worker__user", "personal_worker__unit__organisation")
        .order_by("-opened_on", "-id")
    )


def home(client: Client) -> dict[str, Any]:
    """My personal workers (with how to reach them) and the next review or planned step of each case."""
    cases = open_cases(client)
    reviews = {
        plan.case_id: plan.next_review_on
        for plan in ServicePlan.objects.filter(case__in=cases, next_review_on__isnull=False)
    }
    today = timezone.localdate()
    rows = [
        {
            "case": case,
            "worker": case.personal_worker,
            "next_review_on": reviews.get(case.pk),
            "next_step": case.next_step,
            "next_step_on": case.next_step_on if case.next_step_on and case.next_step_on >= today else None,
        }
        for case in cases
    ]
    return {"cases": rows}


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


def access_log(client: Client) -> QuerySet[AuditEvent]:
    """Every reading and change of the client's data, newest first: the staff access report's own
    selector (`clients.selectors.access_report`), so the client sees exactly what staff would."""
    return client_selectors.access_report(client)
