"""Writing a validated extract: screen every row, then insert new people and update changed ones in one
transaction, set-based. On PostgreSQL new people go in with `COPY` and changes through a staging table
and two statements; elsewhere (SQLite in `make run` and the tests) through `bulk_create`/`bulk_update`.

Only new people are encrypted (Fernet is the dearest step per row); a person already known is found by
the keyed hash of their code, and nothing is written for a row whose facts and screening outcome are
as stored, so importing the same file twice writes nothing the second time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from polku.clients import identity
from polku.intake.models import RegistryExtract, RegistryFactsHistory, RegistryPerson
from polku.intake.reading import Row
from polku.screening import evaluation
from polku.screening.evaluation import CompiledRule

FACT_FIELDS = (
    "municipality_id",
    "unemployed_since",
    "benefit",
    "disability_or_illness",
    "last_activation_ended",
)


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def registry_facts(
    *,
    birth_date: date,
    unemployed_since: date | None,
    disability_or_illness: bool,
    benefit: str,
    last_activation_ended: date | None,
    on: date,
) -> dict[str, Any]:
    """The facts screening rules read (screening.evaluation.REGISTRY_FACTS), as of the extract date."""
    return {
        "age": (on.year - birth_date.year) - ((on.month, on.day) < (birth_date.month, birth_date.day)),
        "unemployed_months": months_between(unemployed_since, on) if unemployed_since else None,
        "disability_or_illness": disability_or_illness,
        "benefit": benefit,
        "months_since_last_activation": months_between(last_activation_ended, on)
        if last_activation_ended
        else None,
    }


def person_facts(person: RegistryPerson) -> dict[str, Any]:
    return registry_facts(
        birth_date=person.birth_date,
        unemployed_since=person.unemployed_since,
        disability_or_illness=person.disability_or_illness,
        benefit=person.benefit,
        last_activation_ended=person.last_activation_ended,
        on=person.facts_on,
    )


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    rescreened: int = 0
    unchanged: int = 0
    older: int = 0
    flagged: int = 0


@dataclass(slots=True)
class _Prepared:
    row: Row
    code_hash: str
    facts_digest: str
    flags: list[dict[str, Any]]
    flags_json: str
    flags_digest: str
    priority: int | None
    score: int


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def prepare(rows: Sequence[Row], rules: list[CompiledRule]) -> list[_Prepared]:
    """Hash, fingerprint and screen every row (no database). The outcome of screening depends only on
    the facts the rules read, which few people differ in (age, months unemployed, ...), so each distinct
    combination is evaluated once."""
    key = settings.IDENTITY_LOOKUP_KEY.encode()
    digest = hmac.digest
    read = sorted({name for rule in rules for name in rule.facts})
    outcomes: dict[tuple[Any, ...], tuple[list[dict[str, Any]], str, str, int | None, int]] = {}
    prepared = []
    for row in rows:
        facts = registry_facts(
            birth_date=row.birth_date,
            unemployed_since=row.unemployed_since,
            disability_or_illness=row.disability_or_illness,
            benefit=row.benefit,
            last_activation_ended=row.last_activation_ended,
            on=row.extract_date,
        )
        facts_key = tuple(facts[name] for name in read)
        outcome = outcomes.get(facts_key)
        if outcome is None:
            outcome = outcomes[facts_key] = _screen(facts, rules)
        flags, flags_json, flags_digest, priority, score = outcome
        fingerprint = (
            f"{row.last_name}\x1f{row.first_names}\x1f{row.municipality}\x1f{row.unemployed_since}\x1f"
            f"{row.benefit}\x1f{row.disability_or_illness}\x1f{row.last_activation_ended}"
        )
        prepared.append(
            _Prepared(
                row,
                digest(key, row.code.encode(), "sha256").hex(),
                _digest(fingerprint),
                flags,
                flags_json,
                flags_digest,
                priority,
                score,
            )
        )
    return prepared


def _screen(
    facts: dict[str, Any], rules: list[CompiledRule]
) -> tuple[list[dict[str, Any]], str, str, int | None, int]:
    flags: list[dict[str, Any]] = []
    priority = None
    matched = []
    for rule in rules:
        if rule.matches(facts):
            flags.append({"rule": rule.spec.id, "facts": {name: facts[name] for name in rule.facts}})
            matched.append((rule.spec, facts))
            if priority is None or rule.spec.priority < priority:
                priority = rule.spec.priority
    flags_json = json.dumps(flags, sort_keys=True)
    return flags, flags_json, _digest(flags_json) if flags else "", priority, evaluation.score(matched)


def load(*, extract: RegistryExtract, prepared: list[_Prepared]) -> Counts:
    """Write the prepared rows for the extract's unit (call inside a transaction holding the unit lock)."""
    counts = Counts()
    known = {
        code_hash: (pk, facts_digest, flags_digest, facts_on)
        for code_hash, pk, facts_digest, flags_digest, facts_on in RegistryPerson.objects.filter(
            unit_id=extract.unit_id
        )
        .values_list("identity_code_hash", "id", "facts_digest", "flags_digest", "facts_on")
        .iterator(chunk_size=20_000)
    }
    new: list[_Prepared] = []
    changed: list[tuple[int, _Prepared, bool]] = []  # (person id, row, facts changed)
    for item in prepared:
        counts.flagged += item.priority is not None
        stored = known.get(item.code_hash)
        if stored is None:
            new.append(item)
            continue
        pk, facts_digest, flags_digest, facts_on = stored
        if item.row.extract_date < facts_on:
            counts.older += 1
        elif facts_digest != item.facts_digest:
            changed.append((pk, item, True))
        elif flags_digest != item.flags_digest or facts_on != item.row.extract_date:
            changed.append((pk, item, False))
        else:
            counts.unchanged += 1
    counts.new = len(new)
    counts.changed = sum(1 for _pk, _item, facts in changed if facts)
    counts.rescreened = len(changed) - counts.changed
    if connection.vendor == "postgresql":
        _copy_new(extract, new)
        _update_changed_sql(extract, changed)
    else:
        _create_new(extract, new)
        _update_changed_orm(extract, changed)
    return counts


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


def _copy_new(extract: RegistryExtract, new: list[_Prepared]) -> None:
    if not new:
        return
    now = timezone.now().isoformat()
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


def _update_changed_sql(extract: RegistryExtract, changed: list[tuple[int, _Prepared, bool]]) -> None:
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


def _create_new(extract: RegistryExtract, new: list[_Prepared]) -> None:
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


def _person_fields(item: _Prepared) -> dict[str, Any]:
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


def _update_changed_orm(extract: RegistryExtract, changed: list[tuple[int, _Prepared, bool]]) -> None:
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
        person.updated_at = timezone.now()
        updated.append(person)
    RegistryFactsHistory.objects.bulk_create(history, batch_size=2000)
    RegistryPerson.objects.bulk_update(
        updated, [*_person_fields(changed[0][1]), "updated_at"], batch_size=1000
    )
