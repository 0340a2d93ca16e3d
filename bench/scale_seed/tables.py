"""The tables the bulk seeder fills and how it writes them: each row is a tuple in the order of its
model's `FIELDS`, written with its id by COPY on PostgreSQL and by batched inserts elsewhere. Audit
events are not among them: they go through `audit.services.record_many`."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import Model

from polku.clients.models import (
    Case,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    Contact,
    TimelineEntry,
)

# Every concrete field of each model, in the order of the seeder's row tuples: a field added to a model
# stops the seeder (see `Sink`) until the rows say what goes in it.
FIELDS: dict[type[Model], tuple[str, ...]] = {
    Client: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "identity_code_encrypted",
        "identity_code_hash",
        "identity_code_masked",
        "first_names",
        "last_name",
        "birth_date",
        "sex",
        "municipality_id",
        "languages",
        "other_language",
        "phone",
        "email",
        "street_address",
        "postal_code",
        "post_office",
        "preferred_contact_channel",
        "needs_interpreter",
        "interpreter_language",
        "created_by_id",
        "search_name",
    ),
    Case: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "client_id",
        "unit_id",
        "source",
        "opened_on",
        "opened_by_id",
        "status",
        "status_changed_at",
        "personal_worker_id",
        "next_step",
        "next_step_on",
        "closed_on",
        "outcome",
    ),
    CaseStatusChange: ("id", "case_id", "status", "previous_status", "at", "by_id", "note", "cause"),
    CaseWorkerChange: ("id", "case_id", "worker_id", "previous_worker_id", "at", "by_id", "note"),
    CaseTeamMember: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "case_id",
        "membership_id",
        "role",
        "responsibility",
        "started_on",
        "ended_on",
        "added_by_id",
        "ended_by_id",
    ),
    Contact: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "case_id",
        "client_id",
        "kind",
        "happened_on",
        "duration_minutes",
        "participants",
        "note",
        "register",
        "organisation_id",
        "author_id",
    ),
    Consent: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "client_id",
        "discloser_id",
        "recipient_id",
        "covers_social",
        "covers_health",
        "covers_employment",
        "purpose",
        "valid_from",
        "valid_until",
        "method",
        "witness",
        "recorded_by_id",
        "revoked_on",
        "revoked_by_id",
        "revoked_at",
        "revocation_note",
    ),
    TimelineEntry: (
        "id",
        "client_id",
        "case_id",
        "kind",
        "at",
        "actor_id",
        "organisation_id",
        "register",
        "object_type",
        "object_id",
        "params",
        "text",
    ),
}


class Sink:
    """Writes rows with their ids: COPY on PostgreSQL, executemany elsewhere (SQLite in tests)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.next_id: dict[type[Model], int] = {}
        for model, names in FIELDS.items():
            actual = {f.attname for f in model._meta.concrete_fields}
            if actual != set(names):
                raise RuntimeError(
                    f"{model.__name__} fields changed: update FIELDS ({sorted(actual ^ set(names))})."
                )

    def lock(self) -> None:
        """No one else inserts into these tables until the seeding commits; then the ids are ours."""
        with connection.cursor() as cursor:
            if self.postgres:
                tables = ", ".join(model._meta.db_table for model in FIELDS)
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute(
                    "SET CONSTRAINTS ALL IMMEDIATE"
                )  # checked as written, not queued to the commit
            for model in FIELDS:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
                self.next_id[model] = cursor.fetchone()[0] + 1

    def take(self, model: type[Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def write(self, model: type[Model], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        table, names = model._meta.db_table, FIELDS[model]
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_name[n] for n in names]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            json_columns = {i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"}
            prepared = [
                [
                    f.get_db_prep_save(json.loads(v) if i in json_columns else v, connection)
                    for i, (f, v) in enumerate(zip(fields, row, strict=True))
                ]
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608

    def finish(self) -> None:
        """Move the sequences past the ids used, so the application's next inserts do not collide, and
        give the planner statistics: before autovacuum gets to them, it would guess thousands of rows
        per client and switch on JIT compilation (70 ms) for the client overview's queries."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model, value in self.next_id.items():
                table = model._meta.db_table
                cursor.execute(f"ANALYZE {table}")
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM {table})))",  # noqa: S608,E501
                    [table, value - 1 if value > 1 else 1],
                )
