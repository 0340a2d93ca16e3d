"""Consent scoping (ARCHITECTURE.md rule 1): which register records of a client a viewer may read.

Records of a register (contacts and their notes, timeline entries, questionnaire answers, plans,
referrals, placements) are shown only when the viewer's organisation owns them or the client's valid
consent lets the owner disclose that register to it. The same rule in four forms: a Q for the ORM
(`disclosed_records`), SQL for reads written with `core.sql` (`disclosed_records_sql` for many
clients' records, `Disclosers.sql` for one client's), and in Python for a page's rows
(`disclosed_rows`). Callers import these through `clients.access`, which re-exports them beside the
client relationship.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import basis as audit_basis
from polku.clients.models import Consent, Register
from polku.core import sql


def disclosed_records(viewer: Membership, *, client_field: str = "client", client: Any = None) -> Q:
    """Q on a register record (fields `organisation`, `register` and a client key) for the records the
    viewer's organisation owns or may receive under a consent valid today.

    With `client` (records of one client, as on the client's pages) the consents valid today are read
    once and the Q names the disclosing organisations and registers outright: the same rule without a
    subquery per register, which Django takes milliseconds to build on every page."""
    if client is not None:
        return Disclosers.q(**disclosers(viewer, client).params())
    consents = Consent.objects.valid_on().filter(
        client=OuterRef(client_field),
        discloser=OuterRef("organisation"),
        recipient_id=viewer.unit.organisation_id,
    )
    return (
        Q(organisation_id=viewer.unit.organisation_id)
        | Q(register=Register.SOCIAL) & Q(Exists(consents.filter(covers_social=True)))
        | Q(register=Register.HEALTH) & Q(Exists(consents.filter(covers_health=True)))
        | Q(register=Register.EMPLOYMENT) & Q(Exists(consents.filter(covers_employment=True)))
    )


def disclosed_records_sql(viewer: Membership, table: str) -> tuple[str, list[Any]]:
    """`disclosed_records` as an SQL condition on a register table of many clients (`table` is its name
    or alias in the statement: columns `client_id`, `organisation_id`, `register`), with its parameters,
    for the reads written as SQL (`core.sql`): the viewer's organisation's records, and others' under a
    consent of the record's client valid today that covers the record's register."""
    own, today = viewer.unit.organisation_id, timezone.localdate()
    # Only `table` (a name in the caller's own SQL) is formatted in; every value is a parameter.
    condition = f"""(
        {table}.organisation_id = %s
        OR EXISTS (
            SELECT 1 FROM clients_consent consent
            WHERE consent.client_id = {table}.client_id AND consent.discloser_id = {table}.organisation_id
                AND consent.recipient_id = %s AND consent.valid_from <= %s
                AND (consent.valid_until IS NULL OR consent.valid_until >= %s)
                AND (consent.revoked_on IS NULL OR consent.revoked_on > %s)
                AND (
                    {table}.register = %s AND consent.covers_social
                    OR {table}.register = %s AND consent.covers_health
                    OR {table}.register = %s AND consent.covers_employment
                )
        )
    )"""  # noqa: S608
    registers = [Register.SOCIAL.value, Register.HEALTH.value, Register.EMPLOYMENT.value]
    return condition, [own, own, today, today, today, *registers]


@dataclass(frozen=True)
class Disclosers:
    """For one client and viewer: the viewer's organisation and, per register, the organisations whose
    records of it the client's consents valid today let the viewer read. Lists of plain values, so that
    queries can take them as parameters (`params()`); `q()` is the rule as a Q."""

    own: int
    social: list[int]
    health: list[int]
    employment: list[int]

    @staticmethod
    def q(own: int, social: list[int], health: list[int], employment: list[int]) -> Q:
        disclosed = Q(organisation_id=own)
        for register, organisations in (
            (Register.SOCIAL, social),
            (Register.HEALTH, health),
            (Register.EMPLOYMENT, employment),
        ):
            if organisations:
                disclosed |= Q(register=register, organisation_id__in=organisations)
        return disclosed

    def params(self) -> dict[str, Any]:
        return {"own": self.own, "social": self.social, "health": self.health, "employment": self.employment}

    def sql(self, table: str) -> tuple[str, list[Any]]:
        """The rule of `q` as an SQL condition on a register table's `organisation_id` and `register`
        columns (`table` is its name or alias in the statement), with its parameters, for the reads
        written as SQL (`core.sql`)."""
        condition = f"{table}.organisation_id = %s"
        params: list[Any] = [self.own]
        for register, organisations in (
            (Register.SOCIAL, self.social),
            (Register.HEALTH, self.health),
            (Register.EMPLOYMENT, self.employment),
        ):
            if organisations:
                listed, ids = sql.in_list(organisations)
                condition += f" OR ({table}.register = %s AND {table}.organisation_id IN {listed})"
                params += [register.value, *ids]
        return f"({condition})", params


def disclosers(viewer: Membership, client: Any) -> Disclosers:
    """The consents valid today of one client towards the viewer's organisation (read once per request
    within `decided_once`)."""
    own = viewer.unit.organisation_id
    grants: list[tuple[int, bool, bool, bool, Any]] = permissions.remembered(
        ("disclosures", viewer.pk, client.pk), lambda: _grants(client.pk, own)
    )
    # The consents are part of the basis of what the viewer reads of the client (audit.basis).
    audit_basis.note_consents(
        viewer.pk, client.pk, [consent for discloser, *_, consent in grants if discloser != own]
    )
    return Disclosers(
        own=own,
        social=sorted(discloser for discloser, social, _, _, _ in grants if social),
        health=sorted(discloser for discloser, _, health, _, _ in grants if health),
        employment=sorted(discloser for discloser, _, _, employment, _ in grants if employment),
    )


def disclosed_to_organisation(organisation_id: int, client: Any) -> Q:
    """`disclosed_records` for an organisation rather than one of its people: the records of one client
    that the organisation owns or may receive under the client's consents valid today. For work done
    in the organisation's name with no staff member acting (the client's own answers screened as the
    case's organisation would screen them)."""
    grants = _grants(client.pk, organisation_id)
    return Disclosers.q(
        own=organisation_id,
        social=sorted(discloser for discloser, social, _, _, _ in grants if social),
        health=sorted(discloser for discloser, _, health, _, _ in grants if health),
        employment=sorted(discloser for discloser, _, _, employment, _ in grants if employment),
    )


def _grants(client_id: Any, recipient_id: int) -> list[tuple[int, bool, bool, bool, uuid.UUID]]:
    """`Consent.objects.valid_on()` of one client towards one organisation: the discloser, the
    registers each covers and the consent's public id (the basis of what it discloses, `audit.basis`),
    written as SQL (core.sql) since every client page reads it."""
    today = timezone.localdate()
    return [
        (discloser, bool(social), bool(health), bool(employment), uuid.UUID(str(public_id)))
        for discloser, social, health, employment, public_id in sql.rows(
            """
            SELECT discloser_id, covers_social, covers_health, covers_employment, public_id
            FROM clients_consent
            WHERE client_id = %s AND recipient_id = %s AND valid_from <= %s
                AND (valid_until IS NULL OR valid_until >= %s) AND (revoked_on IS NULL OR revoked_on > %s)
            """,
            [client_id, recipient_id, today, today, today],
        )
    ]


def disclosed_rows(viewer: Membership, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Of register records read as `(client_id, organisation_id, register, ...)` tuples, those the
    viewer may read: the same rule as `disclosed_records`, applied in Python to a page's rows.

    For pages that read a few records of many clients (the caseload's flags): a consent subquery per
    register costs Django milliseconds to build on every query, while the consents are read here at
    most once per request (remembered within `decided_once`), and only when a row belongs to another
    organisation."""
    own = viewer.unit.organisation_id
    rows = list(rows)
    # client id -> the (discloser, register) pairs its consents valid today grant the viewer's organisation
    grants: dict[Any, set[tuple[Any, str]]] = permissions.remembered(("page-disclosures", viewer.pk), dict)
    missing = sorted({row[0] for row in rows if row[1] != own and row[0] not in grants})
    if missing:
        grants.update({client_id: set() for client_id in missing})
        consents = (
            Consent.objects.valid_on()
            .filter(client_id__in=missing, recipient_id=own)
            .values_list("client_id", "discloser_id", "covers_social", "covers_health", "covers_employment")
        )
        for client_id, discloser_id, social, health, employment in consents:
            for register, covered in (
                (Register.SOCIAL, social),
                (Register.HEALTH, health),
                (Register.EMPLOYMENT, employment),
            ):
                if covered:
                    grants[client_id].add((discloser_id, register))
    return [row for row in rows if row[1] == own or (row[1], row[2]) in grants.get(row[0], ())]
