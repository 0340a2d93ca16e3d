"""Personas for the catalogue and referrals: the Oulu personal worker's case (tests/clients/conftest.py),
a health services unit in Polku that receives referrals (and its nurse), and a provider not in Polku."""

from __future__ import annotations

import pytest

from polku.accounts.models import Membership, OrganisationKind, Role
from polku.network import services
from polku.network.models import Referral, ReferralStatus, TaxonomyTerm
from polku.network.taxonomy import TERMS, register_of, term_id
from tests.clients.conftest import EN, case, consent, days_ago, text  # noqa: F401
from tests.factories import make_membership, make_organisation, make_service, make_unit


def load_taxonomy() -> None:
    """The taxonomy comes from a data migration; transactional tests flush it, so put it back."""
    for position, (code, fi, sv, en, description) in enumerate(TERMS, start=1):
        TaxonomyTerm.objects.get_or_create(
            code=code,
            defaults={
                "public_id": term_id(code),
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "description": description,
                "position": position * 10,
                "register": register_of(code),
            },
        )


@pytest.fixture(autouse=True)
def catalogue_taxonomy(request):
    if request.fixturenames and {"db", "transactional_db"} & set(request.fixturenames):
        load_taxonomy()


@pytest.fixture
def county(db):
    return make_organisation(
        name="Hyvinvointialue (testi)", kind=OrganisationKind.WELLBEING_COUNTY, municipality_code=""
    )


@pytest.fixture
def receiver(county) -> Membership:
    """A nurse of the county's health services unit, which receives referrals in Polku."""
    return make_membership(
        unit=make_unit(organisation=county, name="Työttömien terveyspalvelut"), role=Role.NURSE
    )


@pytest.fixture
def in_polku(receiver):
    """A service answered in Polku by the receiver's unit."""
    return make_service(name="Terveystarkastus", category="health-check-unemployed", unit=receiver.unit)


@pytest.fixture
def external(db):
    """A service whose provider is not in Polku: the sending worker records its answers."""
    return make_service(
        name="Kelan kuntoutus", category="kela-rehabilitation", need_kinds=["work_ability_assessment"]
    )


def draft(on_case, service, by, **kwargs) -> Referral:
    kwargs.setdefault("reason", "Työkyvyn arviointi tarpeen.")
    return services.refer(case=on_case, service=service, by=by, **kwargs)


def at_status(on_case, service, worker, answerer, status: str) -> Referral:
    """A referral moved along the happy path to `status` (declined and the endings through their reasons)."""
    referral = draft(on_case, service, worker)
    path = {
        ReferralStatus.DRAFT: [],
        ReferralStatus.SENT: ["sent"],
        ReferralStatus.ACCEPTED: ["sent", "accepted"],
        ReferralStatus.DECLINED: ["sent", "declined"],
        ReferralStatus.STARTED: ["sent", "accepted", "started"],
        ReferralStatus.COMPLETED: ["sent", "accepted", "started", "completed"],
        ReferralStatus.DISCONTINUED: ["sent", "accepted", "started", "discontinued"],
        ReferralStatus.DID_NOT_ATTEND: ["sent", "accepted", "did_not_attend"],
        ReferralStatus.CANCELLED: ["cancelled"],
    }[status]
    for step in path:
        by = worker if step in ("sent", "cancelled") else answerer
        referral = services.move(referral=referral, to=step, by=by, reason="Syy kirjattu tähän.")
    return referral
