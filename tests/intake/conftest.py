"""Synthetic registry extracts for the intake tests."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from polku.intake import services
from polku.intake.models import RegistryExtract, RegistryFactsHistory, RegistryPerson
from tests.factories import synthetic_identity_code

FINNISH = [
    "henkilotunnus",
    "sukunimi",
    "etunimet",
    "kotikunta",
    "tyoton_alkaen",
    "etuus",
    "vamma_tai_sairaus",
    "viimeisin_palvelu_paattyi",
    "poiminta_pvm",
]
ENGLISH = [
    "person_id",
    "last_name",
    "first_names",
    "municipality",
    "unemployed_since",
    "benefit",
    "disability_or_illness",
    "last_activation_ended",
    "extract_date",
]


def extract_on() -> date:
    return timezone.localdate() - timedelta(days=3)


def person(n: int, **overrides) -> dict[str, str]:
    """One row as the registry writes it (Finnish column names, ISO dates)."""
    on = extract_on()
    row = {
        "henkilotunnus": synthetic_identity_code(n, birth_date=date(1960 + n % 30, 1 + n % 12, 1 + n % 28)),
        "sukunimi": f"Virtanen{n}",
        "etunimet": "Matti Juhani",
        "kotikunta": "564",
        "tyoton_alkaen": (on - timedelta(days=30 * (n % 40))).isoformat() if n % 5 else "",
        "etuus": ["tyomarkkinatuki", "peruspaivaraha", "ansiopaivaraha", "ei"][n % 4],
        "vamma_tai_sairaus": "kyllä" if n % 7 == 0 else "ei",
        "viimeisin_palvelu_paattyi": "",
        "poiminta_pvm": on.isoformat(),
    }
    row.update(overrides)
    return row


def extract_csv(rows, *, english=False, delimiter=",", bom=False, header=None) -> bytes:
    header = header or (ENGLISH if english else FINNISH)
    out = io.StringIO()
    out.write(delimiter.join(header) + "\r\n")
    for row in rows:
        values = [row[name] for name in FINNISH]
        out.write(delimiter.join(values) + "\r\n")
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def run(unit, data: bytes, by=None) -> RegistryExtract:
    extract = RegistryExtract.objects.create(
        unit=unit, uploaded_by=by, file_name="poiminta.csv", file_size=len(data)
    )
    return services.run_import(extract=extract, data=data)


def registry_state():
    """Everything an import writes about people, to show that a rejected file changed none of it."""
    return {
        "people": list(
            RegistryPerson.objects.order_by("id").values_list(
                "id",
                "identity_code_hash",
                "last_name",
                "facts_on",
                "unemployed_since",
                "benefit",
                "priority",
                "flags",
            )
        ),
        "history": RegistryFactsHistory.objects.count(),
    }


@pytest.fixture
def unit(worker):
    return worker.unit


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; the Finnish and Swedish ones come from the translators."""
    from django.utils import translation

    with translation.override("en"):
        yield
