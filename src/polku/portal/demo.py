"""The demo's clients who can log in to their own Polku through the test provider (`make run` starts it:
scripts/portal_idp.py). They are picked from the clients the other apps' demos created: one with an
agreed plan and reviews, one whose record another organisation viewed under consent, one opened with
break-the-glass, and one more with an open case (the provider's form lists them by these labels).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef

from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.clients.models import BreakGlassAccess, Case, Client, Consent
from polku.core.seeding import DemoContext
from polku.plans.models import PlanReview, PlanVersion


def seed(ctx: DemoContext) -> None:
    people = portal_people()
    if people:
        ctx.stdout.write(
            "Own Polku: "
            + "; ".join(f"{label}: {client.full_name}" for label, client in people)
            + " (log in at /portal/ through the test provider)."
        )


def portal_people() -> list[tuple[str, Client]]:
    """(label, client) of the demo clients offered by the test provider."""
    picked: list[tuple[str, Client]] = []

    def take(label: str, client: Client | None) -> None:
        if client is not None and all(client.pk != other.pk for _, other in picked):
            picked.append((label, client))

    reviewed = PlanReview.objects.filter(plan__client=OuterRef("pk"))
    agreed = PlanVersion.objects.filter(plan__client=OuterRef("pk"), status="agreed")
    take(
        "agreed-plan-and-reviews",
        Client.objects.filter(Exists(agreed), Exists(reviewed)).order_by("last_name", "pk").first()
        or Client.objects.filter(Exists(agreed)).order_by("last_name", "pk").first(),
    )
    viewed = AuditEvent.objects.filter(
        client_id=OuterRef("client__public_id"), organisation_id=OuterRef("recipient_id")
    )
    consent = Consent.objects.filter(Exists(viewed)).select_related("client").order_by("pk").first()
    if consent is None:
        consent = Consent.objects.select_related("client").order_by("pk").first()
    take("viewed-under-consent", consent.client if consent else None)
    glass = BreakGlassAccess.objects.select_related("client").order_by("pk").first()
    take("opened-with-break-the-glass", glass.client if glass else None)
    case = Case.objects.filter(closed_on__isnull=True).select_related("client").order_by("pk").first()
    take("open-case", case.client if case else None)
    return picked


def provider_users() -> list[dict[str, Any]]:
    """The test provider's users: a readable subject and the identity code claim (synthetic data)."""
    return [
        {
            "sub": f"{label}: {client.full_name}",
            settings.POLKU_PORTAL_OIDC_IDENTITY_CLAIM: identity.decrypt(client.identity_code_encrypted),
            "name": client.full_name,
            "given_name": client.first_names,
            "family_name": client.last_name,
        }
        for label, client in portal_people()
    ]
