"""A believable demo catalogue for Oulu, Espoo and Rovaniemi, and a few referrals of the Oulu personal
worker's clients (one overdue, one started), for `manage.py seed_demo`. Ids are uuid5 of the names, so
seeding again adds nothing. The catalogue's data is in demo_catalogue.py."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.demo import OULU_WORKER
from polku.clients.models import Case, Municipality
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.network import services
from polku.network.demo_catalogue import PROVIDER_NAMES_SV, PROVIDERS, SERVICES
from polku.network.models import (
    Provider,
    Referral,
    ReferralStatus,
    Service,
    ServiceContact,
    ServiceLocation,
    TaxonomyTerm,
)

NAMESPACE = uuid.UUID("3b8e1c55-0d6f-4b7a-8f0e-6c2a9d4e1f20")


def _uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(parts))


def seed(ctx: DemoContext) -> None:
    organisations = {o.name: o for o in Organisation.objects.all()}
    providers: dict[str, Provider] = {}
    for name, description, linked in PROVIDERS:
        organisation = organisations.get(name) if linked else None
        providers[name], _ = Provider.objects.get_or_create(
            public_id=_uuid("provider", name),
            defaults={
                "name": name,
                "name_sv": PROVIDER_NAMES_SV.get(name, ""),
                "description": description,
                "organisation": organisation,
                "business_id": organisation.business_id if organisation else "",
            },
        )
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=["564", "049", "698"])}
    created = 0
    for row in SERVICES:
        public_id = _uuid("service", row.name_fi)
        if Service.objects.filter(public_id=public_id).exists() or row.municipality not in municipalities:
            continue
        receiving = row.receiving_unit
        unit = (
            Unit.objects.filter(organisation__name=receiving[0], name=receiving[1]).first()
            if receiving
            else None
        )
        service = Service.objects.create(
            public_id=public_id,
            provider=providers[row.provider],
            unit=unit,
            name_fi=row.name_fi,
            name_sv=row.name_sv,
            name_en=row.name_en,
            description_fi=row.description,
            category=terms[row.category],
            need_kinds=row.need_kinds,
            eligibility="Työttömät ja osatyökykyiset asiakkaat.",
            languages=row.languages,
            application_process="Omatyöntekijän lähetteellä Polussa tai soittamalla palvelunumeroon.",
            phone="+358 8 000 0000" if row.municipality == "564" else "+358 9 000 0000",
        )
        ServiceLocation.objects.create(
            service=service,
            name=row.post_office + ", " + row.street,
            street_address=row.street,
            postal_code=row.postal_code,
            post_office=row.post_office,
            municipality=municipalities[row.municipality],
            accessibility=row.accessibility,
        )
        ServiceContact.objects.create(
            service=service, name="Palveluohjaus", title="Ajanvaraus ja neuvonta", phone=service.phone
        )
        created += 1
    referrals = _referrals()
    ctx.stdout.write(f"Demo service catalogue: {created} services added; {referrals} referrals.")


def _referrals() -> int:
    """Three of the Oulu worker's clients referred: one sent three weeks ago and not answered (overdue on
    the caseload), one accepted and started, one still a draft."""
    worker = (
        Membership.objects.active()
        .filter(user__email=OULU_WORKER)
        .select_related("unit__organisation")
        .first()
    )
    if worker is None:
        return 0
    cases = list(
        Case.objects.filter(personal_worker=worker, closed_on__isnull=True)
        .select_related("client")
        .order_by("client__last_name", "client__first_names", "id")[10:13]
    )
    if len(cases) < 3 or Referral.objects.filter(case__in=cases).exists():
        return 0
    health = Service.objects.filter(public_id=_uuid("service", "Kuntouttava työtoiminta, Verstas")).first()
    kela = Service.objects.filter(public_id=_uuid("service", "Ammatillinen kuntoutusselvitys")).first()
    if health is None or kela is None:
        return 0
    today = timezone.localdate()

    def on(days_ago: int, hour: int) -> Any:
        return story_time.happened_at(story_time.on_day(today - timedelta(days=days_ago), hour))

    # Drafted and sent three weeks ago, not answered since: overdue on the caseload.
    with on(22, 14):
        overdue = services.refer(
            case=cases[0], service=kela, by=worker, reason="Työkyvyn selvittäminen ennen ammatinvalintaa."
        )
    with on(21, 9):
        services.send(referral=overdue, by=worker)
    # Sent five weeks ago, accepted a week later (recorded by the worker: the provider's answer came by
    # phone), started two weeks after that.
    with on(35, 10):
        started = services.refer(
            case=cases[1], service=health, by=worker, reason="Arjen rytmi ja työelämävalmiudet."
        )
        services.send(referral=started, by=worker)
    with on(28, 13):
        services.move(referral=started, to=ReferralStatus.ACCEPTED, by=worker)
    with on(14, 9):
        services.move(referral=started, to=ReferralStatus.STARTED, by=worker)
    with on(3, 15):
        services.refer(case=cases[2], service=kela, by=worker, reason="Kuntoutustarpeen selvittäminen.")
    return 3
