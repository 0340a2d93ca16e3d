"""Demo organisations, units, users and memberships (README, "Demo accounts")."""

from datetime import date

from stdnum.fi import ytunnus

from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User
from polku.core.seeding import DEMO_PASSWORD, DemoContext

MEMBERSHIPS_FROM = date(2025, 1, 1)


def synthetic_business_id(base: int) -> str:
    """A valid Y-tunnus made from a 7-digit base (skipping bases whose check digit would be 1)."""
    while True:
        digits = f"{base:07d}"
        remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder != 1:
            value = f"{digits}-{0 if remainder == 0 else 11 - remainder}"
            assert ytunnus.is_valid(value)
            return value
        base += 1


# name, kind, municipality code, units
ORGANISATIONS: list[tuple[str, OrganisationKind, str, list[str]]] = [
    (
        "Oulun kaupunki",
        OrganisationKind.MUNICIPALITY,
        "564",
        [
            "Työllisyyspalvelut, PALO-tiimi",
            "Työllisyyspalvelut, IPS-työhönvalmennus",
            "Työllisyyspalvelut, johto ja tietopalvelut",
            "Digipalvelut, Polku-ylläpito",
        ],
    ),
    (
        "Pohjois-Pohjanmaan hyvinvointialue",
        OrganisationKind.WELLBEING_COUNTY,
        "",
        [
            "Oulun terveyspalvelut, työttömien terveyspalvelut",
            "Oulun terveyspalvelut, psykologipalvelut",
            "Aikuissosiaalityö, Oulu",
        ],
    ),
    ("Espoon kaupunki", OrganisationKind.MUNICIPALITY, "049", ["Työllisyyspalvelut, työkykytiimi"]),
    ("Rovaniemen kaupunki", OrganisationKind.MUNICIPALITY, "698", ["Työkyky käyttöön -tiimi"]),
    ("Kela, Pohjois-Suomen vakuutuspiiri", OrganisationKind.KELA, "", ["Kuntoutuspalvelut"]),
    ("Oulun seudun työllisyysalue", OrganisationKind.EMPLOYMENT_AUTHORITY, "564", ["Työnhakijapalvelut"]),
    ("Polun Tuki ry", OrganisationKind.NGO, "564", ["Kuntouttava työtoiminta, Verstas"]),
    ("Pohjoisen ammattiopisto", OrganisationKind.EDUCATION_PROVIDER, "564", ["Aikuiskoulutus"]),
    ("Pohjolan Kiinteistöhuolto Oy", OrganisationKind.EMPLOYER, "564", ["Kiinteistöhuolto"]),
    ("Kaamos Logistiikka Oy", OrganisationKind.EMPLOYER, "698", ["Varasto"]),
    ("Merikosken Kahvila Oy", OrganisationKind.EMPLOYER, "564", ["Kahvila"]),
]

# The Swedish names of the bilingual organisations and their units (Espoo and Kela are bilingual; the
# county has an official Swedish name too). Swedish pages show them; Finnish is the fallback.
SWEDISH_NAMES = {
    "Espoon kaupunki": "Esbo stad",
    "Työllisyyspalvelut, työkykytiimi": "Sysselsättningstjänster, arbetsförmågeteamet",
    "Kela, Pohjois-Suomen vakuutuspiiri": "FPA, Norra Finlands försäkringsdistrikt",
    "Kuntoutuspalvelut": "Rehabiliteringstjänster",
    "Pohjois-Pohjanmaan hyvinvointialue": "Norra Österbottens välfärdsområde",
    "Oulun terveyspalvelut, työttömien terveyspalvelut": (
        "Uleåborgs hälsotjänster, hälsotjänster för arbetslösa"
    ),
    "Oulun terveyspalvelut, psykologipalvelut": "Uleåborgs hälsotjänster, psykologtjänster",
    "Aikuissosiaalityö, Oulu": "Socialt arbete för vuxna, Uleåborg",
}

# email, first name, last name, organisation, unit, role, description printed by `make run`
USERS = [
    (
        "worker@oulu.polku.example",
        "Outi",
        "Oksanen",
        "Oulun kaupunki",
        "Työllisyyspalvelut, PALO-tiimi",
        Role.PERSONAL_WORKER,
        "personal worker, City of Oulu employment services (PALO team)",
    ),
    (
        "nurse@oulu.polku.example",
        "Niina",
        "Nurmi",
        "Pohjois-Pohjanmaan hyvinvointialue",
        "Oulun terveyspalvelut, työttömien terveyspalvelut",
        Role.NURSE,
        "team professional (nurse), Oulu health services",
    ),
    (
        "psychologist@oulu.polku.example",
        "Pirjo",
        "Heikkilä",
        "Pohjois-Pohjanmaan hyvinvointialue",
        "Oulun terveyspalvelut, psykologipalvelut",
        Role.PSYCHOLOGIST,
        "team professional (psychologist), Oulu health services: the psychological domain of assessments",
    ),
    (
        "coach@oulu.polku.example",
        "Kalle",
        "Kataja",
        "Oulun kaupunki",
        "Työllisyyspalvelut, IPS-työhönvalmennus",
        Role.JOB_COACH,
        "IPS job coach, Oulu",
    ),
    (
        "manager@oulu.polku.example",
        "Maija",
        "Mattila",
        "Oulun kaupunki",
        "Työllisyyspalvelut, johto ja tietopalvelut",
        Role.MANAGER,
        "manager/analyst, Oulu",
    ),
    (
        "worker@espoo.polku.example",
        "Eero",
        "Eskola",
        "Espoon kaupunki",
        "Työllisyyspalvelut, työkykytiimi",
        Role.PERSONAL_WORKER,
        "personal worker, City of Espoo",
    ),
    (
        "host@kahvila.polku.example",
        "Kaisa",
        "Kahvinen",
        "Merikosken Kahvila Oy",
        "Kahvila",
        Role.WORK_TRIAL_HOST,
        "work trial host, Merikosken Kahvila (enters attendance of the café's placements)",
    ),
    (
        "admin@polku.example",
        "Aino",
        "Aalto",
        "Oulun kaupunki",
        "Digipalvelut, Polku-ylläpito",
        Role.ADMINISTRATOR,
        "administrator",
    ),
]


def seed(ctx: DemoContext) -> None:
    units: dict[tuple[str, str], Unit] = {}
    for index, (name, kind, municipality, unit_names) in enumerate(ORGANISATIONS):
        organisation, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "business_id": synthetic_business_id(2_900_000 + index * 37),
                "municipality_code": municipality,
                "name_sv": SWEDISH_NAMES.get(name, ""),
            },
        )
        for unit_name in unit_names:
            units[name, unit_name], _ = Unit.objects.get_or_create(
                organisation=organisation,
                name=unit_name,
                defaults={"name_sv": SWEDISH_NAMES.get(unit_name, "")},
            )

    for email, first, last, organisation_name, unit_name, role, description in USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)
        Membership.objects.get_or_create(
            user=user,
            unit=units[organisation_name, unit_name],
            role=role,
            defaults={"valid_from": MEMBERSHIPS_FROM},
        )
        ctx.account(email, description)
