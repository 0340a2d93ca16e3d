"""Reads of extracts and the worklist, scoped to the viewer's unit (`intake.worklist` rule)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.intake.models import ExtractProblem, RegistryExtract, RegistryPerson
from polku.screening.models import ScreeningRule

RECENT_EXTRACTS = 10


def extracts_of(*, viewer: Membership) -> list[RegistryExtract]:
    permissions.require(viewer, "intake.worklist")
    return list(
        RegistryExtract.objects.filter(unit_id=viewer.unit_id).order_by("-created_at", "-id")[
            :RECENT_EXTRACTS
        ]
    )


def extract_for(*, viewer: Membership, public_id: uuid.UUID | str) -> RegistryExtract:
    """The extract if it is the viewer's unit's; otherwise the refusal is audited and it is a 404."""
    extract = RegistryExtract.objects.filter(public_id=public_id).first()
    if extract is None:
        raise Http404
    permissions.require(viewer, "intake.worklist", extract, hide=True)
    return extract


def problems_of(extract: RegistryExtract) -> QuerySet[ExtractProblem]:
    return extract.problems.order_by("line", "id")


# The worklist's orders (`?sort=`): the strongest screening score first (the default), the longest
# unemployed, the oldest, or by name; ties keep a fixed order so that pages do not overlap.
WORKLIST_ORDERS: dict[str, tuple[Any, ...]] = {
    "score": ("-score", F("unemployed_since").asc(nulls_last=True), "id"),
    "unemployment": (F("unemployed_since").asc(nulls_last=True), "-score", "id"),
    "age": ("birth_date", "-score", "id"),
    "name": ("last_name", "first_names", "id"),
}


def worklist(*, viewer: Membership, sort: str = "score") -> QuerySet[RegistryPerson]:
    """People of the viewer's unit flagged by the rules and not yet contacted, in the order asked for
    (WORKLIST_ORDERS; an unknown one is the default)."""
    permissions.require(viewer, "intake.worklist")
    return (
        RegistryPerson.objects.filter(unit_id=viewer.unit_id, priority__isnull=False, state="")
        .select_related("municipality")
        .order_by(*WORKLIST_ORDERS.get(sort, WORKLIST_ORDERS["score"]))
    )


def person_for(*, viewer: Membership, public_id: uuid.UUID | str) -> RegistryPerson:
    person = RegistryPerson.objects.select_related("municipality").filter(public_id=public_id).first()
    if person is None:
        raise Http404
    permissions.require(viewer, "intake.worklist", person, hide=True)
    return person


def reasons(people: list[RegistryPerson]) -> list[tuple[RegistryPerson, list[dict[str, Any]]]]:
    """Each person with the rules that flagged them (name, need, facts), in one query for the rules."""
    ids = {flag["rule"] for person in people for flag in person.flags}
    rules = ScreeningRule.objects.in_bulk(ids) if ids else {}
    return [
        (
            person,
            [
                {"rule": rules.get(flag["rule"]), "facts": sorted(flag["facts"].items())}
                for flag in person.flags
                if flag["rule"] in rules
            ],
        )
        for person in people
    ]
