"""What the cases of the insights bench belong to and refer to, made once with the ORM (a few thousand
rows): two organisations in each of 20 demo municipalities with three units each and their personal
workers, the county of each municipality, a service catalogue over the taxonomy's categories, employers
and two published questionnaires."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from polku.accounts.demo import synthetic_business_id
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User
from polku.insights.models import CountyMunicipality
from polku.instruments.models import Instrument, InstrumentVersion
from polku.network.models import Provider, Service, TaxonomyTerm

MARK = "Tiedolla johtamisen mittaus"  # the organisations' names begin with it: seeded once
# The demo's municipalities (`clients/migrations/0002_municipalities.py`) with the county each lies in.
MUNICIPALITIES = {
    "564": "Pohjois-Pohjanmaa",
    "244": "Pohjois-Pohjanmaa",
    "425": "Pohjois-Pohjanmaa",
    "494": "Pohjois-Pohjanmaa",
    "139": "Pohjois-Pohjanmaa",
    "859": "Pohjois-Pohjanmaa",
    "072": "Pohjois-Pohjanmaa",
    "049": "Länsi-Uusimaa",
    "235": "Länsi-Uusimaa",
    "257": "Länsi-Uusimaa",
    "698": "Lappi",
    "320": "Lappi",
    "091": "Helsinki",
    "837": "Pirkanmaa",
    "179": "Keski-Suomi",
    "297": "Pohjois-Savo",
    "092": "Itä-Uusimaa",
    "853": "Varsinais-Suomi",
    "405": "Etelä-Karjala",
    "167": "Pohjois-Karjala",
}
INSTRUMENTS = {"bench-phq9": 27, "bench-was": 10}


@dataclass
class World:
    organisations: list[int] = field(default_factory=list)  # two per municipality, in its order
    units: dict[int, list[int]] = field(default_factory=dict)  # of each organisation
    workers: dict[int, list[int]] = field(default_factory=dict)  # personal workers of each unit
    services: list[int] = field(default_factory=list)
    employers: list[int] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)  # instrument code -> published version id
    municipalities: list[str] = field(default_factory=list)


def build(workers_per_unit: int = 17) -> World:
    """Make the world, or find the one made before (by the organisations' names)."""
    world = World(municipalities=list(MUNICIPALITIES))
    for code, county in MUNICIPALITIES.items():
        CountyMunicipality.objects.get_or_create(municipality_id=code, defaults={"county": county})
    existing = list(Organisation.objects.filter(name__startswith=MARK).order_by("id"))
    if not existing:
        _make(world, workers_per_unit)
    organisations = list(
        Organisation.objects.filter(name__startswith=MARK, kind=OrganisationKind.MUNICIPALITY).order_by("id")
    )
    world.organisations = [o.pk for o in organisations]
    for unit in Unit.objects.filter(organisation__in=organisations).order_by("id"):
        world.units.setdefault(unit.organisation_id, []).append(unit.pk)
    for membership in Membership.objects.filter(unit__organisation__in=organisations).order_by("id"):
        world.workers.setdefault(membership.unit_id, []).append(membership.pk)
    world.services = list(
        Service.objects.filter(provider__name__startswith=MARK).values_list("id", flat=True)
    )
    world.employers = list(
        Organisation.objects.filter(name__startswith=MARK, kind=OrganisationKind.EMPLOYER).values_list(
            "id", flat=True
        )
    )
    world.versions = dict(
        InstrumentVersion.objects.filter(instrument__code__in=INSTRUMENTS).values_list(
            "instrument__code", "id"
        )
    )
    return world


def _make(world: World, workers_per_unit: int) -> None:
    n = 0

    def organisation(name: str, kind: str, code: str = "") -> Organisation:
        nonlocal n
        n += 1
        return Organisation.objects.create(
            name=f"{MARK} {name}",
            kind=kind,
            business_id=synthetic_business_id(7_100_000 + n * 13),
            municipality_code=code,
        )

    users: list[User] = []
    wanted: list[tuple[int, int]] = []  # (unit, user index)
    for code in MUNICIPALITIES:
        for half in ("A", "B"):
            owner = organisation(f"{code} {half}", OrganisationKind.MUNICIPALITY, code)
            for u in range(3):
                unit = Unit.objects.create(organisation=owner, name=f"Työkykytiimi {u + 1}")
                for _ in range(workers_per_unit):
                    index = len(users)
                    users.append(
                        User(
                            email=f"insights{index}@bench.polku.example",
                            password="!",  # unusable: no one logs in as them
                            first_name="Mitta",
                            last_name=f"Työntekijä {index}",
                        )
                    )
                    wanted.append((unit.pk, index))
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(
        User.objects.filter(email__endswith="@bench.polku.example", email__startswith="insights").values_list(
            "email", "id"
        )
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user_id=ids[users[index].email],
                unit_id=unit,
                role=Role.PERSONAL_WORKER,
                valid_from=date(2020, 1, 1),
            )
            for unit, index in wanted
        ],
        batch_size=1000,
    )
    for e in range(5):
        organisation(f"työnantaja {e + 1}", OrganisationKind.EMPLOYER)
    categories = list(TaxonomyTerm.objects.order_by("position", "code")[:12])
    for p in range(8):
        provider = Provider.objects.create(name=f"{MARK} palveluntuottaja {p + 1}", description="Mittaus.")
        for s in range(4):
            Service.objects.create(
                provider=provider,
                name_fi=f"Mittauspalvelu {p + 1}.{s + 1}",
                description_fi="Mittaus.",
                category=categories[(p * 4 + s) % len(categories)],
                need_kinds=["mental_health"],
                languages=["fi"],
            )
    published = timezone.make_aware(datetime(2020, 1, 1, 12))
    for code, top in INSTRUMENTS.items():
        instrument, _created = Instrument.objects.get_or_create(code=code)
        InstrumentVersion.objects.get_or_create(
            instrument=instrument,
            number=1,
            defaults={
                "status": "published",
                "title": {"fi": code},
                "register": "health",
                "published_at": published,
                "max_score": top,
            },
        )
