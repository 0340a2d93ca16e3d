"""The HSDS 3.0 schemas (compiled form) and the checks against them; the ids of derived items."""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from polku.network.taxonomy import NAMESPACE

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "hsds-3.0"
TRANSLATED = [("name", "sv"), ("name", "en"), ("description", "sv"), ("description", "en")]
# The provider's Swedish name (bilingual municipalities): HSDS has no translations of an organization, so
# it is an attribute of the translations taxonomy linked to the organization.
ORGANIZATION_NAME_SV = "organization_name:sv"


@lru_cache(maxsize=4)
def validator(name: str) -> Any:
    """A validator of the compiled schema `name` (service, organization), with format checks."""
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_errors(item: Any) -> list[str]:
    """Why an item is not a valid HSDS service (with a valid organization), one line per problem."""
    problems = []
    for error in sorted(validator("service").iter_errors(item), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(service)"
        problems.append(f"{where}: {error.message}")
    if isinstance(item, dict) and isinstance(item.get("organization"), dict):
        for error in validator("organization").iter_errors(item["organization"]):
            where = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"organization/{where}: {error.message}")
    return problems


def derived_id(*parts: object) -> str:
    """The id of an item made from its parent (a language, an attribute): the same every export."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))
