"""The situation report of one municipality (Rovaniemi's practice): the people with partial work ability
known to the manager's organisation, from its registry extracts (flagged, or with a disability or
long-term illness) and its cases (open, or closed within the last year), by age group, unemployment
duration, support need and service status, with the change since the previous report. Protected like
every other figure (`disclosure`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Case, CaseOutcome, Municipality
from polku.insights import disclosure
from polku.insights.models import AgeBand, CaseFact, SituationSnapshot, age_band
from polku.intake.models import RegistryPerson
from polku.screening.models import NeedKind, NeedStatus, ScreeningRule, SupportNeed

STATUSES = [("waiting", _("Waiting")), ("in_services", _("In services")), ("in_work", _("In work"))]
DURATIONS = [
    ("under_1", _("under a year")),
    ("1_2", _("1–2 years")),
    ("2_3", _("2–3 years")),
    ("3_plus", _("3 years or more")),
    ("unknown", _("not known")),
]
IN_WORK = {
    CaseOutcome.OPEN_MARKET_FULL_TIME,
    CaseOutcome.OPEN_MARKET_PART_TIME,
    CaseOutcome.WAGE_SUBSIDY,
    CaseOutcome.SELF_EMPLOYMENT,
}


@dataclass
class Person:
    birth_date: date
    unemployed_since: date | None = None
    needs: set[str] = field(default_factory=set)
    status: str = "waiting"


def _duration(since: date | None, on: date) -> str:
    if since is None:
        return "unknown"
    years = (on - since).days / 365.25
    return "under_1" if years < 1 else "1_2" if years < 2 else "2_3" if years < 3 else "3_plus"


def municipalities(organisation_id: int) -> list[Municipality]:
    """The municipalities the organisation's cases' clients and registry extracts' people live in."""
    codes = set(
        CaseFact.objects.filter(organisation_id=organisation_id)
        .values_list("municipality", flat=True)
        .distinct()
    )
    codes |= set(
        RegistryPerson.objects.filter(unit__organisation_id=organisation_id)
        .values_list("municipality_id", flat=True)
        .distinct()
    )
    return list(Municipality.objects.filter(code__in=codes).order_by("name_fi"))


def people(organisation_id: int, municipality: str, on: date) -> list[Person]:
    by_client: dict[int, Person] = {}
    others: list[Person] = []
    facts = CaseFact.objects.filter(organisation_id=organisation_id, municipality=municipality).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=on - timedelta(days=365))
    )
    fact_rows = {
        row[0]: row[1:]
        for row in facts.values_list(
            "case_id", "closed_on", "outcome", "service_started_on", "job_started_on"
        )
    }
    for case_id, client_id, birth in Case.objects.filter(id__in=fact_rows).values_list(
        "id", "client_id", "client__birth_date"
    ):
        person = by_client.setdefault(client_id, Person(birth))
        closed, outcome, started, job = fact_rows[case_id]
        if job is not None or (closed is not None and outcome in IN_WORK):
            person.status = "in_work"
        elif closed is None and started is not None and person.status != "in_work":
            person.status = "in_services"
    rules = dict(ScreeningRule.objects.values_list("id", "need_kind"))
    for client_id, birth, since, flags in (
        RegistryPerson.objects.filter(unit__organisation_id=organisation_id, municipality_id=municipality)
        .filter(Q(disability_or_illness=True) | ~Q(flags=[]))
        .values_list("client_id", "birth_date", "unemployed_since", "flags")
    ):
        kinds: set[str] = {str(rules[flag.get("rule")]) for flag in flags or [] if flag.get("rule") in rules}
        if client_id is not None and client_id in by_client:
            by_client[client_id].unemployed_since = since
            by_client[client_id].needs |= kinds
        else:
            others.append(Person(birth, since, kinds))
    needs: dict[int, set[str]] = defaultdict(set)
    # The organisation's own needs only: another organisation's need is a record of its register, and
    # counting it would tell the reader of care the client has not disclosed to them.
    for client_id, kind in SupportNeed.objects.filter(
        client_id__in=by_client, status=NeedStatus.OPEN, organisation_id=organisation_id
    ).values_list("client_id", "kind"):
        needs[client_id].add(kind)
    for client_id, open_needs in needs.items():
        by_client[client_id].needs |= open_needs
    return [*by_client.values(), *others]


def counts(found: list[Person], on: date) -> dict[str, Any]:
    status_index = {key: i for i, (key, _label) in enumerate(STATUSES)}
    ages = [key for key, _label in AgeBand.choices]
    durations = [key for key, _label in DURATIONS]
    age = [[0] * len(STATUSES) for _ in ages]
    duration = [[0] * len(STATUSES) for _ in durations]
    needs = {kind: 0 for kind, _label in NeedKind.choices}
    for person in found:
        column = status_index[person.status]
        years = (
            on.year
            - person.birth_date.year
            - ((on.month, on.day) < (person.birth_date.month, person.birth_date.day))
        )
        age[ages.index(age_band(years))][column] += 1
        duration[durations.index(_duration(person.unemployed_since, on))][column] += 1
        for kind in person.needs:
            if kind in needs:
                needs[kind] += 1
    return {
        "age": age,
        "duration": duration,
        "needs": [needs[k] for k, _l in NeedKind.choices],
        "total": len(found),
    }


@dataclass
class Report:
    municipality: Any
    on: date
    previous_on: date | None
    age: list[tuple[Any, list[disclosure.Cell], disclosure.Cell, int | None]]
    duration: list[tuple[Any, list[disclosure.Cell], disclosure.Cell, int | None]]
    status_totals: list[disclosure.Cell]
    total: disclosure.Cell
    total_change: int | None
    needs: list[tuple[Any, disclosure.Cell, int | None]]
    columns: list[Any]
    raw: dict[str, Any]

    @property
    def tables(self) -> list[tuple[Any, list[Any], str]]:
        return [
            (_("Age group"), self.age, "situation-age"),
            (_("Unemployment duration"), self.duration, "situation-duration"),
        ]


def _rows(
    labels: list[Any], matrix: list[list[int]], previous: list[list[int]] | None
) -> tuple[list[Any], disclosure.Table, disclosure.Table | None]:
    table = disclosure.protect_table(matrix)
    before = disclosure.protect_table(previous) if previous else None
    rows = []
    for i, label in enumerate(labels):
        change = disclosure.change(table.row_totals[i], before.row_totals[i]) if before else None
        rows.append((label, table.cells[i], table.row_totals[i], change))
    return rows, table, before


def report(*, organisation_id: int, municipality: Any, on: date) -> Report:
    raw = counts(people(organisation_id, municipality.code, on), on)
    previous = (
        SituationSnapshot.objects.filter(
            organisation_id=organisation_id, municipality=municipality, made_on__lt=on
        )
        .order_by("-made_on")
        .first()
    )
    old = previous.counts if previous else None
    age, age_table, age_before = _rows(
        [label for _k, label in AgeBand.choices], raw["age"], old["age"] if old else None
    )
    duration, _t, _b = _rows(
        [label for _k, label in DURATIONS], raw["duration"], old["duration"] if old else None
    )
    need_cells = disclosure.protect_values(raw["needs"])
    old_needs = disclosure.protect_values(old["needs"]) if old else None
    needs = [
        (label, cell, disclosure.change(cell, old_needs[i]) if old_needs else None)
        for i, ((_k, label), cell) in enumerate(zip(NeedKind.choices, need_cells, strict=True))
    ]
    return Report(
        municipality=municipality,
        on=on,
        previous_on=previous.made_on if previous else None,
        age=age,
        duration=duration,
        status_totals=age_table.column_totals,
        total=age_table.total,
        total_change=disclosure.change(age_table.total, age_before.total) if age_before else None,
        needs=needs,
        columns=[label for _k, label in STATUSES],
        raw=raw,
    )
