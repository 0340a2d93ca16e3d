"""Writing a validated extract: screen every row, then insert new people and update changed ones in one
transaction, set-based (the writes themselves are bulk.py's: on PostgreSQL new people go in with `COPY`
and changes through a staging table and two statements; elsewhere, SQLite in `make run` and the tests,
through `bulk_create`/`bulk_update`).

Only new people are encrypted (Fernet is the dearest step per row); a person already known is found by
the keyed hash of their code, and nothing is written for a row whose facts and screening outcome are
as stored, so importing the same file twice writes nothing the second time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from polku.intake import bulk
from polku.intake.bulk import Prepared
from polku.intake.models import RegistryExtract, RegistryPerson
from polku.intake.reading import Row
from polku.screening import evaluation
from polku.screening.evaluation import CompiledRule


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


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def prepare(rows: Sequence[Row], rules: list[CompiledRule]) -> list[Prepared]:
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
            Prepared(
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


def load(*, extract: RegistryExtract, prepared: list[Prepared]) -> Counts:
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
    new: list[Prepared] = []
    changed: list[tuple[int, Prepared, bool]] = []  # (person id, row, facts changed)
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
    bulk.write_new(extract, new)
    bulk.write_changed(extract, changed)
    return counts
