"""For the tests that compare a read written as SQL (`core.sql`) with the ORM read it replaced: the
model instances it builds must be the ORM's, field for field."""

from __future__ import annotations

from typing import Any


def fields(obj: Any) -> dict[str, Any]:
    """Every stored field of an object, as the ORM would read it back."""
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def same(built: Any, read: Any) -> None:
    """The instance built from the SQL read is of the ORM's class and holds the same stored values."""
    assert type(built) is type(read) and fields(built) == fields(read)
