"""A period's career profile with its shown change history, and its benefits counselling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from polku.clients.models import Municipality
from polku.employment.models import (
    PROFILE_FIELDS,
    Adjustment,
    BenefitsCounselling,
    CareerProfile,
    Disclosure,
    IpsPeriod,
    JobField,
)


def profile_of(period: IpsPeriod) -> CareerProfile | None:
    return CareerProfile.objects.filter(period=period).prefetch_related("municipalities").first()


@dataclass(frozen=True)
class ProfileChange:
    """A career profile history row as shown: when, by whom, and each changed field with its earlier
    value (`before` is empty when the profile was created)."""

    at: datetime
    by: str
    created: bool
    before: list[tuple[str, str]]


def _shown(name: str, value: Any, places: dict[str, str]) -> str:
    if name == "municipalities":
        return ", ".join(places.get(code, code) for code in value) or "–"
    choices = {"job_fields": JobField, "adjustments": Adjustment, "disclosure": Disclosure}.get(name)
    if choices is not None and isinstance(value, list):
        return ", ".join(str(choices(v).label) for v in value if v in choices.values) or "–"
    if choices is not None:
        return str(choices(value).label) if value in choices.values else str(value)
    return str(value) if value not in ("", None) else "–"


def profile_changes(profile: CareerProfile | None) -> list[ProfileChange]:
    """The profile's history, newest first (two queries: the rows with who changed them, the names of
    the places they mention)."""
    if profile is None:
        return []
    rows = list(profile.changes.select_related("changed_by__user"))
    codes = {code for row in rows for code in row.previous.get("municipalities", [])}
    places = dict(Municipality.objects.filter(code__in=codes).values_list("code", "name_fi")) if codes else {}
    labels = {
        name: str(getattr(CareerProfile._meta.get_field(name), "verbose_name", name))
        for name in (*PROFILE_FIELDS, "municipalities")
    }
    return [
        ProfileChange(
            at=row.changed_at,
            by=row.changed_by.user.get_full_name(),
            created=row.created,
            before=[
                (labels.get(name, name), _shown(name, row.previous[name], places))
                for name in row.fields
                if name in row.previous
            ],
        )
        for row in rows
    ]


def counselling_of(period: IpsPeriod) -> list[BenefitsCounselling]:
    return list(period.counselling.all())
