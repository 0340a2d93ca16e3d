"""The signed-in client: who they are, their home page (personal workers, next steps, messages) and
My data (the staff export read as the client themself)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from polku.clients.export import client_export
from polku.clients.models import Case, Client
from polku.plans.models import (
    ServicePlan,
)
from polku.portal.models import (
    Message,
)


def signed_in_client(public_id: str | None) -> Client | None:
    """The client of a portal session (the session holds only the public id)."""
    if not public_id:
        return None
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        return None
    return Client.objects.select_related("municipality").filter(public_id=key).first()


def client_named(public_id: uuid.UUID) -> Client | None:
    """The client an address names, only to audit a refusal in their access report."""
    return Client.objects.filter(public_id=public_id).first()


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
    since = timezone.now() - timedelta(days=14)
    team_messages = Message.objects.filter(client=client, author__isnull=False, at__gte=since).count()
    return {"cases": rows, "team_messages": team_messages}


def newest_unit(client: Client) -> Any:
    """The unit of the client's newest case (the PDF's heading), or None."""
    case = (
        Case.objects.filter(client=client)
        .select_related("unit__organisation")
        .order_by("-opened_on", "-id")
        .first()
    )
    return case.unit if case else None


def messages_of(client: Client) -> QuerySet[Message]:
    """My messages with my teams, newest first."""
    return (
        Message.objects.filter(client=client)
        .select_related("author__user", "case__unit")
        .order_by("-at", "-id")
    )


def my_data(client: Client) -> dict[str, Any]:
    """Everything Polku holds about the client, for their own download: the staff export
    (`clients.export.client_export`) with the client themself as the reader (`viewer=None`), so the
    same sections and the same records as staff see, without the withholding meant for other
    organisations (see `clients/export.py`)."""
    return client_export(client, viewer=None)
