"""Synthetic people for the demo: valid identity codes, names, addresses and languages. Used by the
demo stories (`demo.py`) and by the benchmark's bulk seeder (`bench/scale_seed`)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from weakref import WeakKeyDictionary

from django.utils import timezone
from faker import Faker

from polku.clients.models import ContactChannel, Municipality
from polku.core.seeding import FAKER_SEED

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Individual numbers: the demo's stories use 002-399, the people of the demo registry extract 400-449,
# the figures' history 450-499 and the bulk clients of the benchmarks 500-899, so no two collide (a
# shared number once made the 100,000-client seeding stop on a duplicate identity code after the
# demo had been seeded).
DEMO_INDIVIDUALS = (2, 399)
REGISTRY_INDIVIDUALS = (400, 449)
HISTORY_INDIVIDUALS = (450, 499)
SCALE_INDIVIDUALS = (500, 899)

OTHER_LANGUAGES = ["somali", "arabia", "dari", "venäjä", "kurdi (sorani)", "ukraina", "tigrinja", "viro"]

POSTAL_CODES: dict[str, list[tuple[str, str]]] = {
    "564": [("90100", "OULU"), ("90120", "OULU"), ("90500", "OULU"), ("90570", "OULU"), ("90650", "OULU")],
    "244": [("90440", "KEMPELE")],
    "425": [("91900", "LIMINKA")],
    "494": [("91500", "MUHOS")],
    "139": [("91100", "II")],
    "049": [
        ("02100", "ESPOO"),
        ("02230", "ESPOO"),
        ("02320", "ESPOO"),
        ("02600", "ESPOO"),
        ("02770", "ESPOO"),
    ],
    "235": [("02700", "KAUNIAINEN")],
    "257": [("02400", "KIRKKONUMMI")],
    "698": [("96100", "ROVANIEMI"), ("96200", "ROVANIEMI"), ("96400", "ROVANIEMI")],
    "320": [("98100", "KEMIJÄRVI")],
    "859": [("91800", "TYRNÄVÄ")],
    "072": [("90480", "HAILUOTO")],
}


# Northern Sámi given names and surnames common in Utsjoki, Inari and Enontekiö (Faker has no Sámi
# locale); Swedish-speaking clients get names from Faker's sv_SE.
SAMI_FIRST_NAMES = {
    "female": ["Máret", "Biret", "Elle", "Ánne", "Sárá", "Inga", "Risten", "Kárin"],
    "male": ["Niillas", "Ánte", "Jovnna", "Áilu", "Mihkkal", "Heaika", "Ovllá", "Piera"],
}
SAMI_SURNAMES = ["Aikio", "Guttorm", "Magga", "Länsman", "Näkkäläjärvi", "Valle", "Sara", "Pieski", "Labba"]
SAMI_MUNICIPALITIES = {"890", "148", "047"}  # Utsjoki, Inari, Enontekiö

_swedish_faker: Faker | None = None
# The full names given in this process's seeding, per Faker instance (one seeding, one instance).
_given_names: WeakKeyDictionary[Faker, set[str]] = WeakKeyDictionary()


def _swedish() -> Faker:
    global _swedish_faker
    if _swedish_faker is None:
        _swedish_faker = Faker("sv_SE")
        _swedish_faker.seed_instance(FAKER_SEED)
    return _swedish_faker


def person_name(rng: random.Random, faker: Faker, sex: str, language: str = "fi") -> tuple[str, str]:
    """(given names, surname) plausible for the language ("fi", "sv" or "se" for Northern Sámi): one or
    two given names, never the same one twice ("Maria Maria"), and never a full name already given in
    this seeding."""
    taken = _given_names.setdefault(faker, set())
    for _attempt in range(50):
        if language == "se":
            first = rng.choice(SAMI_FIRST_NAMES[sex])
            second = rng.choice(SAMI_FIRST_NAMES[sex])
            last = rng.choice(SAMI_SURNAMES)
        else:
            source = _swedish() if language == "sv" else faker
            pick = source.first_name_male if sex == "male" else source.first_name_female
            first, second, last = pick(), pick(), source.last_name()
        names = f"{first} {second}" if rng.random() < 0.4 and second != first else first
        if f"{names} {last}" not in taken:
            break
    taken.add(f"{names} {last}")
    return names, last


def identity_code(birth_date: date, individual: int) -> str:
    """A valid personal identity code (the check character is the 9 digits modulo 31)."""
    sign = "-" if birth_date.year < 2000 else "A"
    digits = f"{birth_date:%d%m%y}{individual:03d}"
    return f"{birth_date:%d%m%y}{sign}{individual:03d}{CHECK_CHARACTERS[int(digits) % 31]}"


def demo_person(rng: random.Random, *, min_age: int = 19, max_age: int = 63) -> tuple[str, str]:
    """(identity code, sex) of a person of working age today."""
    today = timezone.localdate()
    birth = today - timedelta(days=rng.randint(min_age * 365 + 10, max_age * 365))
    individual = rng.randint(*DEMO_INDIVIDUALS)
    return identity_code(birth, individual), "male" if individual % 2 else "female"


def office_hours(on: date, rng: random.Random) -> datetime:
    """A time during office hours on the day, in Helsinki."""
    minutes = rng.randint(8 * 60 + 5, 15 * 60 + 50)
    return datetime.combine(on, time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone())


def client_details(
    rng: random.Random, faker: Any, sex: str, municipality: str, trait: str = ""
) -> dict[str, Any]:
    """What the new client form would be given: names, address, contact details and languages.
    `trait`: "swedish", "other" (another language) or "interpreter" (another language, interpreted)."""
    language = "sv" if trait == "swedish" else "se" if municipality in SAMI_MUNICIPALITIES else "fi"
    first, last = person_name(rng, faker, sex, language)
    postal, office = rng.choice(POSTAL_CODES.get(municipality, POSTAL_CODES["564"]))
    details: dict[str, Any] = {
        "first_names": first,
        "last_name": last,
        "municipality": Municipality.objects.get(code=municipality),
        "languages": ["fi"],
        "phone": f"04{rng.choice('0145')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "email": faker.safe_email() if rng.random() < 0.6 else "",
        "street_address": faker.street_address(),
        "postal_code": postal,
        "post_office": office,
        "preferred_contact_channel": rng.choice(
            [ContactChannel.PHONE, ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.EMAIL]
        ),
    }
    if trait == "swedish":
        details["languages"] = ["sv", "fi"]
    elif trait in {"other", "interpreter"}:
        language = rng.choice(OTHER_LANGUAGES)
        details["languages"] = ["other", "en"] if trait == "other" else ["other"]
        details["other_language"] = language
        if trait == "interpreter":
            details.update(needs_interpreter=True, interpreter_language=language)
    return details
