"""The demo's clients who can log in to their own Polku through the test provider (`make run` starts it:
scripts/portal_idp.py). They are picked from the clients the other apps' demos created: one with an
agreed plan and reviews, one whose record another organisation viewed under consent, one opened with
break-the-glass, one with questionnaires waiting, and one more with an open case (the provider's form
lists them by these labels).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.clients import services as client_services
from polku.clients.models import BreakGlassAccess, Case, Client, Consent
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.plans.models import PlanReview, PlanVersion
from polku.portal import services
from polku.portal.models import QuestionnaireRequest

ESPOO_WORKER = "worker@espoo.polku.example"


def seed(ctx: DemoContext) -> None:
    _break_the_glass_once()
    _questionnaire_waiting_once()
    people = portal_people()
    if people:
        ctx.stdout.write(
            "Own Polku: "
            + "; ".join(f"{label}: {client.full_name}" for label, client in people)
            + " (log in at /portal/ through the test provider)."
        )


def _break_the_glass_once() -> None:
    """One Oulu client opened by the Espoo worker with break-the-glass (its reason shows in the client's
    access log), so the demo has such a client to log in as."""
    if BreakGlassAccess.objects.exists():
        return
    espoo = (
        Membership.objects.active()
        .filter(user__email=ESPOO_WORKER)
        .select_related("unit__organisation", "user")
        .first()
    )
    if espoo is None:
        return
    case = (
        Case.objects.filter(closed_on__isnull=True)
        .exclude(unit__organisation=espoo.unit.organisation)
        .exclude(client__cases__unit__organisation=espoo.unit.organisation)
        .select_related("client")
        .order_by("pk")
        .first()
    )
    if case is None or not permissions.can(espoo, "client.break_glass", case.client):
        return
    # Opened twenty minutes before the demo starts, so the access is still in force.
    with story_time.happened_at(timezone.now() - timedelta(minutes=20)):
        client_services.break_glass(
            client=case.client,
            by=espoo,
            reason="Asiakas tuli päivystävälle vastaanotolle ja pyysi apua työkokeilun keskeytyessä.",
        )
        audit.record(espoo, "client.view", case.client, client=case.client)


def _questionnaire_waiting_once() -> None:
    """One client whose personal worker has asked them to fill in the functional capacity
    self-assessment in their own Polku (the newest open case with a personal worker)."""
    if QuestionnaireRequest.objects.exists():
        return
    cases = (
        Case.objects.filter(closed_on__isnull=True, personal_worker__isnull=False)
        .select_related("client", "personal_worker__unit__organisation")
        .order_by("-pk")[:50]
    )
    case = next(
        (c for c in cases if permissions.can(c.personal_worker, "portal.questionnaire.request", c)), None
    )
    if case is None or case.personal_worker is None:
        return
    for code in ("polku_fc", "phq9"):
        try:
            # Asked yesterday afternoon.
            with story_time.happened_at(story_time.on_day(timezone.localdate() - timedelta(days=1), 15)):
                services.request_questionnaire(case=case, by=case.personal_worker, code=code)
        except (PermissionDenied, ValidationError, Http404):
            return


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
    waiting = (
        QuestionnaireRequest.objects.filter(completed_at__isnull=True)
        .select_related("client")
        .order_by("pk")
        .first()
    )
    take("questionnaire-waiting", waiting.client if waiting else None)
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
