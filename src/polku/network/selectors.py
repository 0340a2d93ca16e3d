"""Reads of the catalogue (no client data) and of referrals (client data, scoped by
`accounts.permissions` like every read of client data)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import access, export
from polku.clients.models import Case, Client, Consent, Municipality
from polku.core import sql
from polku.core.search import every_word
from polku.network.models import (
    Provider,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Service,
    ServiceContact,
    ServiceLocation,
    TaxonomyTerm,
    overdue_since,
)
from polku.screening.models import NeedStatus, SupportNeed


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    need: str = ""
    category: str = ""
    municipality: str = ""
    language: str = ""

    @property
    def any(self) -> bool:
        return bool(self.q or self.need or self.category or self.municipality or self.language)


def catalogue(*, filters: CatalogueFilters | None = None) -> QuerySet[Service]:
    """Active services matching the filters, with what the list shows (two queries for a page)."""
    filters = filters or CatalogueFilters()
    services = Service.objects.filter(is_active=True)
    if filters.need:
        # JSON lists: a quoted value matches one whole element (works on SQLite and PostgreSQL).
        services = services.filter(need_kinds__icontains=f'"{filters.need}"')
    if filters.language:
        services = services.filter(languages__icontains=f'"{filters.language}"')
    if filters.category:
        services = services.filter(category__code=filters.category)
    if filters.municipality:
        services = services.filter(
            pk__in=ServiceLocation.objects.filter(municipality_id=filters.municipality).values("service")
        )
    services = services.filter(
        every_word(
            filters.q,
            "name_fi",
            "name_sv",
            "name_en",
            "description_fi",
            "description_sv",
            "description_en",
            "provider__name",
            "provider__name_sv",
        )
    )
    return (
        services.select_related("category", "provider")
        .prefetch_related(
            Prefetch("locations", queryset=ServiceLocation.objects.select_related("municipality"))
        )
        .order_by("name_fi", "id")
    )


def categories() -> list[TaxonomyTerm]:
    return list(TaxonomyTerm.objects.filter(is_active=True).order_by("position", "name_fi"))


def municipalities() -> list[Municipality]:
    """The municipalities where some active service has a location."""
    codes = ServiceLocation.objects.filter(service__is_active=True).values("municipality_id")
    return list(Municipality.objects.filter(code__in=codes).order_by("name_fi"))


def service_for(public_id: uuid.UUID | str) -> Service:
    service = (
        Service.objects.select_related("category", "provider", "unit__organisation")
        .prefetch_related(
            Prefetch("locations", queryset=ServiceLocation.objects.select_related("municipality")),
            Prefetch("contacts", queryset=ServiceContact.objects.all()),
        )
        .filter(public_id=public_id)
        .first()
    )
    if service is None:
        raise Http404
    return service


# --- Referrals ----------------------------------------------------------------------------------------


def referrals_for(client: Client, *, viewer: Membership) -> list[Referral]:
    """The client's referrals the viewer may read (their organisation's, others' under consent), newest
    first, in one query."""
    return list(readable_referrals(client, viewer=viewer))


def readable_referrals(client: Client, *, viewer: Membership) -> QuerySet[Referral]:
    """The queryset behind `referrals_for`, to slice for the overview panel or paginate."""
    if not access.sees_client(viewer, client):
        return Referral.objects.none()
    return _newest_first(
        Referral.objects.filter(client=client).filter(access.disclosed_records(viewer, client=client))
    )


def _newest_first(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("service__provider", "service__category").order_by("-created_at", "-id")


def newest_referrals(client: Client, *, viewer: Membership, count: int) -> list[Referral]:
    """The first `count` of `readable_referrals`, for the client overview's panel: the consents were
    read once for the request (access.disclosers), so the rule is plain ids here."""
    if not access.sees_client(viewer, client):
        return []
    # Written as SQL (`core.sql`): every overview reads it, and the ORM took 1-2 ms of CPU to build it,
    # several times what PostgreSQL needs to run it (bench/README.md). The rule is `Disclosers.q`'s.
    disclosed, disclosed_params = access.disclosers(viewer, client).sql("referral")
    referrals = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(Referral, "referral")}, {sql.columns(Service, "service")},
            {sql.columns(Provider, "provider")}, {sql.columns(TaxonomyTerm, "category")}
        FROM services_referral referral
        JOIN services_service service ON service.id = referral.service_id
        JOIN services_provider provider ON provider.id = service.provider_id
        JOIN services_taxonomyterm category ON category.id = service.category_id
        WHERE referral.client_id = %s AND {disclosed}
        ORDER BY referral.created_at DESC, referral.id DESC
        LIMIT %s
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, *disclosed_params, count],
    ):
        referral, service, provider, category = sql.instances(row, Referral, Service, Provider, TaxonomyTerm)
        service.provider = provider
        service.category = category
        referral.service = service
        referrals.append(referral)
    return referrals


def referrals_from_plan(plan: Any, *, viewer: Membership) -> dict[Any, list[Referral]]:
    """The referrals made from the plan's actions that the viewer may read, by the action's key (which
    the action keeps across versions), newest first. One query."""
    if not access.sees_client(viewer, plan.client):
        return {}
    found: dict[Any, list[Referral]] = {}
    referrals = (
        Referral.objects.filter(client=plan.client, plan_action__goal__version__plan=plan)
        .filter(access.disclosed_records(viewer, client=plan.client))
        .select_related("plan_action")
        .order_by("-created_at", "-id")
    )
    for referral in referrals:
        found.setdefault(referral.plan_action.key, []).append(referral)  # type: ignore[union-attr]
    return found


def referral_for(
    *, viewer: Membership, public_id: uuid.UUID | str, action: str = "referral.view"
) -> Referral:
    """The referral if the viewer may do `action` on it; otherwise the refusal is audited and it is a 404."""
    referral = (
        Referral.objects.select_related(
            "client",
            "case__unit__organisation",
            "service__provider",
            "service__unit__organisation",
            "organisation",
            "created_by__user",
            "consent__recipient",
            "consent__discloser",
            "need",
            "plan_action__goal__version__plan__case",
        )
        .filter(public_id=public_id)
        .first()
    )
    if referral is None:
        raise Http404
    permissions.require(viewer, action, referral, hide=True)
    return referral


def history_of(referral: Referral) -> list[ReferralStatusChange]:
    return list(
        referral.status_changes.select_related("by__user", "by__unit__organisation").order_by("at", "id")
    )


def incoming(*, viewer: Membership) -> QuerySet[Referral]:
    """Referrals sent to the viewer's unit (never drafts), open ones first, newest first."""
    return (
        Referral.objects.filter(service__unit_id=viewer.unit_id)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("client", "service", "organisation")
        .order_by("ended_at", "-sent_at", "-id")
    )


def overdue_case_ids(viewer: Membership, cases: list[Case]) -> set[int]:
    """Which of the caseload page's cases have an overdue referral the viewer may see (one query):
    another organisation's referral counts only under the client's consent, as on the client's page.
    `overdue_q` written as SQL (core.sql): every caseload request asks it."""
    if not cases:
        return set()
    since = overdue_since()
    listed, case_ids = sql.in_list(case.pk for case in cases)
    rows = sql.rows(
        f"""
        SELECT client_id, organisation_id, register, case_id
        FROM services_referral
        WHERE case_id IN {listed}
            AND (status = %s AND sent_at < %s OR status = %s AND accepted_at < %s)
        """,  # noqa: S608 - only placeholders and fixed SQL are formatted in
        [
            *case_ids,
            ReferralStatus.SENT.value,
            sql.moment(since["sent_before"]),
            ReferralStatus.ACCEPTED.value,
            sql.moment(since["accepted_before"]),
        ],
    )
    return {row[3] for row in access.disclosed_rows(viewer, rows)}


def consents_for_referral(case: Case, *, viewer: Membership) -> list[Consent]:
    """The client's consents valid today that let the viewer's organisation disclose."""
    return list(
        Consent.objects.valid_on()
        .filter(client=case.client, discloser_id=viewer.unit.organisation_id)
        .select_related("recipient")
        .order_by("-valid_from", "-id")
    )


def open_needs_for_referral(case: Case, *, viewer: Membership) -> list[SupportNeed]:
    """The client's open needs the viewer may read, to name the one the referral answers."""
    return list(
        SupportNeed.objects.filter(client=case.client, status=NeedStatus.OPEN)
        .filter(access.disclosed_records(viewer, client=case.client))
        .order_by("priority", "-id")
    )


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's referrals the viewer may read, with their history, for the data export; every
    referral without a viewer (the client's own download)."""
    rows = []
    referrals = (
        referrals_for(client, viewer=viewer)
        if viewer is not None
        else list(_newest_first(Referral.objects.filter(client=client)))
    )
    changes: dict[int, list[ReferralStatusChange]] = {}
    for change in ReferralStatusChange.objects.filter(referral__in=referrals).order_by("at", "id"):
        changes.setdefault(change.referral_id, []).append(change)
    for referral in referrals:
        rows.append(
            {
                "summary": f"{referral.service.name} ({referral.get_status_display()})",
                "service": referral.service.name,
                "provider": referral.service.provider.display_name,
                "status": referral.get_status_display(),
                "reason": referral.reason,
                "shared_information": referral.shared_information,
                "urgency": referral.get_urgency_display(),
                "created_at": export.when(referral.created_at),
                "history": [
                    {
                        "status": change.get_status_display(),
                        "at": export.when(change.at),
                        "reason": change.reason,
                    }
                    for change in changes.get(referral.pk, [])
                ],
            }
        )
    return rows
