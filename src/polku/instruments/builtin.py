"""The built-in instruments: FHIR Questionnaire files under data/, loaded through the importer."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

from polku.instruments.models import InstrumentVersion

DATA = Path(__file__).resolve().parent / "data"
BUILTIN_CODES = ("was", "phq9", "gad7", "auditc", "polku_fc")


def builtin_files() -> list[Path]:
    return [DATA / f"{code}.json" for code in BUILTIN_CODES]


def load_builtin_instruments(*, using: str = DEFAULT_DB_ALIAS) -> list[InstrumentVersion]:
    """Import each built-in file whose version is not stored yet; idempotent, and quiet on a database
    whose instrument tables do not exist (yet)."""
    from polku.instruments.fhir_import import import_questionnaire

    if (
        using != DEFAULT_DB_ALIAS
        or InstrumentVersion._meta.db_table not in connections[using].introspection.table_names()
    ):
        return []
    stored = set(InstrumentVersion.objects.values_list("instrument__code", "number"))
    loaded = []
    for path in builtin_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        if (data["name"], int(data["version"])) in stored:
            continue
        version, _created = import_questionnaire(data)
        loaded.append(version)
    return loaded
