"""Writing rows of any model in bulk: COPY on PostgreSQL, batched inserts elsewhere (SQLite in tests).

A row is a dict of the fields the caller sets; every other concrete field takes its model default (a
constant, an empty list or dict for a JSON field, a fresh UUID for a `public_id`), or empty text or NULL
where the model allows it. A field that is required and has no default stops the seeding at the first row
that lacks it, so a field added to a model cannot be left out silently. Ids are taken by the caller
(`Table.take`) so that rows can point at each other before they are written."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.db import connection
from django.db.models import NOT_PROVIDED, Model

REQUIRED = object()


class Table:
    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.json = {i for i, field in enumerate(self.fields) if field.get_internal_type() == "JSONField"}
        self.template: list[Any] = []
        for field in self.fields:
            default = field.default
            if field.attname == "public_id" or default is uuid.uuid4:
                value: Any = uuid.uuid4  # a fresh one for each row
            elif default is not NOT_PROVIDED:
                value = default() if default in (dict, list) else default
                if callable(value):
                    value = REQUIRED  # a moment or day the row must say (now, today)
            elif field.null:
                value = None
            elif field.blank and field.get_internal_type() in ("CharField", "TextField", "SlugField"):
                value = ""
            else:
                value = REQUIRED
            self.template.append(value)
        self.next_id = 1
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def start_after(self) -> None:
        """Take ids after the table's largest."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.model._meta.db_table}")  # noqa: S608
            self.next_id = cursor.fetchone()[0] + 1

    def take(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, **values: Any) -> int:
        """Queue one row (an id is taken when the row has none); returns its id."""
        if "id" not in values:
            values["id"] = self.take()
        row = []
        for name, default in zip(self.names, self.template, strict=True):
            value = values.pop(name, default)
            if value is REQUIRED:
                raise ValueError(f"{self.model.__name__}.{name} is required and has no default.")
            row.append(value() if value is uuid.uuid4 else value)
        if values:
            raise ValueError(f"{self.model.__name__} has no fields {sorted(values)}.")
        self.rows.append(tuple(row))
        return row[0]

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        table = self.model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(
                            [json.dumps(v) if i in self.json else v for i, v in enumerate(row)]
                            if self.json
                            else row
                        )
            else:
                prepared = [
                    [
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(self.fields, row, strict=True)
                    ]
                    for row in rows
                ]
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608
        self.written += len(rows)
        return len(rows)

    def finish(self) -> None:
        """Move the id sequence past the ids used and give the planner statistics (PostgreSQL)."""
        if connection.vendor != "postgresql":
            return
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))",  # noqa: S608,E501
                [table],
            )
            cursor.execute(f"ANALYZE {table}")
