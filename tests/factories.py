"""Plain factory functions with sensible defaults; every name and number is synthetic."""

import itertools
from datetime import date
from typing import TYPE_CHECKING

from polku.accounts.demo import synthetic_business_id
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User
from tests import totp

if TYPE_CHECKING:
    from polku.clients.models import Case, Client
    from polku.placements.models import Placement

PASSWORD = "correct-horse-battery-42"
_sequence = itertools.count(1)


def make_organisation(
    *,
    name: str | None = None,
    kind: str = OrganisationKind.MUNICIPALITY,
    municipality_code: str = "564",
    **extra: object,
) -> Organisation:
    n = next(_sequence)
    return Organisation.objects.create(
        name=name or f"Testikunta {n}",
        kind=kind,
        business_id=extra.pop("business_id", None) or synthetic_business_id(3_100_000 + n * 13),
        municipality_code=municipality_code,
        **extra,
    )


def make_unit(*, organisation: Organisation | None = None, name: str | None = None, **extra: object) -> Unit:
    return Unit.objects.create(
        organisation=organisation or make_organisation(), name=name or f"Yksikkö {next(_sequence)}", **extra
    )


def make_user(
    *, email: str | None = None, password: str = PASSWORD, with_totp: bool = True, **extra: object
) -> User:
    user = User.objects.create_user(
        email or f"user{next(_sequence)}@test.polku.example",
        password,
        first_name=str(extra.pop("first_name", "Testi")),
        last_name=str(extra.pop("last_name", "Käyttäjä")),
        **extra,
    )
    if with_totp:
        totp.activate(user, totp.new_secret())
    return user


def make_membership(
    *,
    user: User | None = None,
    unit: Unit | None = None,
    role: str = Role.PERSONAL_WORKER,
    valid_from: date = date(2024, 1, 1),
    valid_until: date | None = None,
) -> Membership:
    return Membership.objects.create(
        user=user or make_user(),
        unit=unit or make_unit(),
        role=role,
        valid_from=valid_from,
        valid_until=valid_until,
    )


# --- Clients -----------------------------------------------------------------------------------------
# Synthetic identity codes: valid checksums, individual numbers in the normal range, dates of people
# who do not exist (the factory walks a sequence, so every code is new).


def synthetic_identity_code(
    n: int | None = None, *, birth_date: date | None = None, sign: str | None = None
) -> str:
    """A valid identity code; `n` picks the individual number (002 to 899)."""
    n = next(_sequence) if n is None else n
    birth_date = birth_date or date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
    if sign is None:
        sign = "-" if birth_date.year < 2000 else "A"
    individual = 2 + (n * 7) % 898
    digits = f"{birth_date:%d%m%y}{individual:03d}"
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(digits) % 31]
    return f"{birth_date:%d%m%y}{sign}{individual:03d}{check}"


def make_client(
    *,
    by: Membership,
    identity_code: str | None = None,
    first_names: str = "Testi",
    last_name: str | None = None,
    municipality: str = "564",
    source: str = "self_referral",
    opened_on: date | None = None,
    **details: object,
) -> "Client":
    """A client registered by `by` through the real service, with their first case in by's unit."""
    from polku.clients import services
    from polku.clients.models import Municipality

    result = services.create_client(
        by=by,
        identity_code=identity_code or synthetic_identity_code(),
        first_names=first_names,
        last_name=last_name or f"Asiakas{next(_sequence)}",
        municipality=Municipality.objects.get(code=municipality),
        source=source,
        opened_on=opened_on or date(2026, 1, 5),
        **details,
    )
    return result.client


def make_case(*, by: Membership, **client_kwargs: object) -> "Case":
    """A new client's open case owned by `by` (a personal worker)."""
    from polku.clients.models import Case

    client = make_client(by=by, **client_kwargs)  # type: ignore[arg-type]
    return Case.objects.get(client=client, unit=by.unit, closed_on__isnull=True)


# --- Service catalogue (services) --------------------------------------------------------------------

from typing import Any  # noqa: E402


def make_service(
    *,
    name: str | None = None,
    category: str = "mental-health",
    need_kinds: list[str] | None = None,
    languages: list[str] | None = None,
    municipality: str = "564",
    unit: Unit | None = None,
    organisation: Organisation | None = None,
    is_active: bool = True,
    **extra: object,
) -> Any:
    """An active catalogue service with one location and one contact; `unit` makes it answered in Polku."""
    from polku.clients.models import Municipality
    from polku.network.models import Provider, Service, ServiceContact, ServiceLocation, TaxonomyTerm

    n = next(_sequence)
    organisation = organisation or (unit.organisation if unit else None)
    provider = Provider.objects.create(
        name=f"Palveluntuottaja {n}",
        description="Testipalveluntuottaja.",
        organisation=organisation,
        business_id=organisation.business_id if organisation else "",
    )
    service = Service.objects.create(
        provider=provider,
        unit=unit,
        name_fi=name or f"Palvelu {n}",
        name_en=str(extra.pop("name_en", f"Service {n}")),
        description_fi="Palvelun kuvaus.",
        category=TaxonomyTerm.objects.get(code=category),
        need_kinds=["mental_health"] if need_kinds is None else need_kinds,
        languages=["fi"] if languages is None else languages,
        is_active=is_active,
        **extra,
    )
    ServiceLocation.objects.create(
        service=service,
        name="Toimipiste",
        street_address="Testikatu 1",
        postal_code="90100",
        post_office="Oulu",
        municipality=Municipality.objects.get(code=municipality),
        accessibility="Esteetön.",
    )
    ServiceContact.objects.create(service=service, name="Palveluohjaus", phone="+358 8 000 0000")
    return service


# --- Placements (work trials, rehabilitative work activity) -----------------------------------------


def make_placement(*, case: "Case", by: Membership, **overrides: object) -> "Placement":
    """A work trial in the case at an outside employer, through the real service: it started four weeks
    ago and runs eight more, three days a week."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from polku.placements import services

    today = timezone.localdate()
    arguments: dict[str, object] = {
        "kind": "work_trial",
        "host_name": "Kahvila Esimerkki Oy",
        "supervisor_name": "Pekka Ohjaaja",
        "supervisor_email": "pekka.ohjaaja@kahvila.example",
        "tasks": "Salin siivous ja astianpesu.",
        "starts_on": today - timedelta(days=28),
        "ends_on": today + timedelta(days=56),
        "days_per_week": 3,
        "hours_per_day": Decimal(4),
        "goals": ["Jaksaa neljän tunnin päivät", "Oppii kassan käytön"],
    }
    arguments.update(overrides)
    return services.create_placement(case=case, by=by, **arguments)  # type: ignore[arg-type]
