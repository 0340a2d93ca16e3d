"""The bulk writes of an import (`loading.load` decides what to write): new people inserted and changed
ones updated with their facts history, set-based. On PostgreSQL new people go in with `COPY` and changes
through a staging table and two statements; elsewhere (SQLite in `make run` and the tests) through
`bulk_create`/`bulk_update`. Only new people are encrypted, with one timestamp for all."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from polku.clients import identity
from polku.core import story_time
from polku.intake.models import RegistryExtract, RegistryFactsHistory, RegistryPerson
from polku.intake.reading import Row

FACT_FIELDS = (
    "municipality_id",
    "unemployed_since",
    "benefit",
    "disability_or_illness",
    "last_activation_ended",
)


@dataclass(slots=True)
class Prepared:
    """A row hashed, fingerprinted and screened (`loading.prepare`), ready to be written."""

    row: Row
    code_hash: str
    facts_digest: str
    flags: list[dict[str, Any]]
    flags_json: str
    flags_digest: str
    priority: int | None
    score: int


def write_new(extract: RegistryExtract, new: list[Prepared]) -> None:
    """Insert the people not yet known in the extract's unit, their codes encrypted."""
    if connection.vendor == "postgresql":
        _copy_new(extract, new)
    else:
        _create_new(extract, new)


def write_changed(extract: RegistryExtract, changed: list[tuple[int, Prepared, bool]]) -> None:
    """Update the people whose facts or screening changed (`(person id, row, facts changed)`), with a
    history row of the facts they replace."""
    if connection.vendor == "postgresql":
        _update_changed_sql(extract, changed)
    else:
        _update_changed_orm(extract, changed)


# --- Encrypting new people ----------------------------------------------------------------------------


def _encrypted(codes: Iterable[str]) -> Iterable[str]:
    """Fernet tokens of the codes with the current key (as `identity.encrypt`), one timestamp for all."""
    return identity.encrypt_all(codes, at=int(timezone.now().timestamp()))


def _public_ids(count: int) -> list[str]:
    """Random version 4 UUIDs in bulk (one read of os.urandom instead of a call per row)."""
    raw = bytearray(os.urandom(16 * count))
    ids = []
    for start in range(0, len(raw), 16):
        raw[start + 6] = (raw[start + 6] & 0x0F) | 0x40
        raw[start + 8] = (raw[start + 8] & 0x3F) | 0x80
        ids.append(raw[start : start + 16].hex())
    return ids


# --- PostgreSQL: COPY and set-based statements --------------------------------------------------------

PERSON_COLUMNS = (
    "public_id",
    "created_at",
    "updated_at",
    "unit_id",
    "identity_code_encrypted",
    "identity_code_hash",
    "identity_code_masked",
    "birth_date",
    "sex",
    "first_names",
    "last_name",
    "municipality_id",
    "facts_on",
    "unemployed_since",
    "benefit",
    "disability_or_illness",
    "last_activation_ended",
    "facts_digest",
    "flags",
    "flags_digest",
    "priority",
    "score",
    "state",
    "reason",
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return (
        value.translate(_ESCAPES)
        if ("\\" in value or "\t" in value or "\n" in value or "\r" in value)
        else value
    )


def _copy_new(extract: RegistryExtract, new: list[Prepared]) -> None:
    if not new:
        return
    now = story_time.now().isoformat()
    unit = str(extract.unit_id)
    columns = ", ".join(PERSON_COLUMNS)
    tokens = _encrypted(item.row.code for item in new)
    ids = _public_ids(len(new))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY intake_registryperson ({columns}) FROM STDIN") as copy,
    ):
        lines: list[str] = []
        for public_id, token, item in zip(ids, tokens, new, strict=True):
            row = item.row
            lines.append(
                "\t".join(
                    (
                        public_id,
                        now,
                        now,
                        unit,
                        token,
                        item.code_hash,
                        identity.mask(row.code),
                        row.birth_date.isoformat(),
                        row.sex,
                        _text(row.first_names),
                        _text(row.last_name),
                        row.municipality,
                        row.extract_date.isoformat(),
                        row.unemployed_since.isoformat() if row.unemployed_since else "\\N",
                        row.benefit,
                        "t" if row.disability_or_illness else "f",
                        row.last_activation_ended.isoformat() if row.last_activation_ended else "\\N",
                        item.facts_digest,
                        _text(item.flags_json),
                        item.flags_digest,
                        str(item.priority) if item.priority is not None else "\\N",
                        str(item.score),
                        "",
                        "",
                    )
                )
            )
            if len(lines) >= 20_000:
                copy.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")


def _update_changed_sql(extract: RegistryExtract, changed: list[tuple[int, Prepared, bool]]) -> None:
    if not changed:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE intake_stage (person_id bigint, facts_changed boolean, first_names text,"
            " last_name text, municipality_id text, facts_on date, unemployed_since date, benefit text,"
            " disability_or_illness boolean, last_activation_ended date, facts_digest text, flags jsonb,"
            " flags_digest text, priority smallint, score integer) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY intake_stage FROM STDIN") as copy:
            for pk, item, facts_changed in changed:
                row = item.row
                copy.write_row(
                    (
                        pk,
                        facts_changed,
                        row.first_names,
                        row.last_name,
                        row.municipality,
                        row.extract_date,
                        row.unemployed_since,
                        row.benefit,
                        row.disability_or_illness,
                        row.last_activation_ended,
                        item.facts_digest,
                        item.flags_json,
                        item.flags_digest,
                        item.priority,
                        item.score,
                    )
                )
        # The facts being replaced become history rows, then the people get the new ones.
        cursor.execute(
            "INSERT INTO intake_registryfactshistory (person_id, facts_on, municipality_id, unemployed_since,"
            " benefit, disability_or_illness, last_activation_ended, replaced_by_id, recorded_at)"
            " SELECT p.id, p.facts_on, p.municipality_id, p.unemployed_since, p.benefit,"
            " p.disability_or_illness, p.last_activation_ended, %s, now()"
            " FROM intake_registryperson p JOIN intake_stage s ON s.person_id = p.id WHERE s.facts_changed",
            [extract.pk],
        )
        cursor.execute(
            "UPDATE intake_registryperson p SET first_names = s.first_names, last_name = s.last_name,"
            " municipality_id = s.municipality_id, facts_on = s.facts_on,"
            " unemployed_since = s.unemployed_since, benefit = s.benefit,"
            " disability_or_illness = s.disability_or_illness,"
            " last_activation_ended = s.last_activation_ended,"
            " facts_digest = s.facts_digest, flags = s.flags,"
            " flags_digest = s.flags_digest, priority = s.priority, score = s.score, updated_at = now()"
            " FROM intake_stage s WHERE s.person_id = p.id"
        )
        cursor.execute("DROP TABLE intake_stage")


# --- Other databases: the ORM in batches ---------------------------------------------------------------


def _create_new(extract: RegistryExtract, new: list[Prepared]) -> None:
    tokens = _encrypted(item.row.code for item in new)
    people = (
        RegistryPerson(
            unit_id=extract.unit_id,
            identity_code_encrypted=token,
            identity_code_hash=item.code_hash,
            identity_code_masked=identity.mask(item.row.code),
            **_person_fields(item),
            birth_date=item.row.birth_date,
            sex=item.row.sex,
        )
        for token, item in zip(tokens, new, strict=True)
    )
    batch: list[RegistryPerson] = []
    for person in people:
        batch.append(person)
        if len(batch) == 2000:
            RegistryPerson.objects.bulk_create(batch)
            batch = []
    RegistryPerson.objects.bulk_create(batch)


def _person_fields(item: Prepared) -> dict[str, Any]:
    row = item.row
    return {
        "first_names": row.first_names,
        "last_name": row.last_name,
        "municipality_id": row.municipality,
        "facts_on": row.extract_date,
        "unemployed_since": row.unemployed_since,
        "benefit": row.benefit,
        "disability_or_illness": row.disability_or_illness,
        "last_activation_ended": row.last_activation_ended,
        "facts_digest": item.facts_digest,
        "flags": item.flags,
        "flags_digest": item.flags_digest,
        "priority": item.priority,
        "score": item.score,
    }


def _update_changed_orm(extract: RegistryExtract, changed: list[tuple[int, Prepared, bool]]) -> None:
    if not changed:
        return
    people = RegistryPerson.objects.in_bulk([pk for pk, _item, _facts in changed])
    history = []
    updated = []
    for pk, item, facts_changed in changed:
        person = people[pk]
        if facts_changed:
            history.append(
                RegistryFactsHistory(
                    person=person,
                    facts_on=person.facts_on,
                    replaced_by=extract,
                    **{field: getattr(person, field) for field in FACT_FIELDS},
                )
            )
        for field, value in _person_fields(item).items():
            setattr(person, field, value)
        person.updated_at = story_time.now()
        updated.append(person)
    RegistryFactsHistory.objects.bulk_create(history, batch_size=2000)
    RegistryPerson.objects.bulk_update(
        updated, [*_person_fields(changed[0][1]), "updated_at"], batch_size=1000
    )
