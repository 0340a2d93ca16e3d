"""Plain factory functions with sensible defaults; every name and number is synthetic."""

import itertools
from datetime import date

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from polku.accounts.demo import synthetic_business_id
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User

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
        TOTP.activate(user, generate_totp_secret())
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
