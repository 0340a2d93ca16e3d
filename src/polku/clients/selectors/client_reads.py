"""Reads of one client and what belongs to them (cases, team, consents, contacts), each scoped to the
viewer by `access.py` (and `accounts.permissions` for one object)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.clients import access, identity
from polku.clients.models import (
    BreakGlassAccess,
    Case,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    Contact,
    Municipality,
)
from polku.core import names, sql, story_time

__all__ = [
    "CaseElsewhere",
    "break_glass_reason",
    "case_for",
    "cases_elsewhere",
    "cases_for_export",
    "cases_of",
    "client_by_public_id",
    "client_for",
    "consent_for",
    "consents_of",
    "contacts_of",
    "find_client_by_identity_code",
    "organisations_for_consent",
    "team_of",
    "team_period_for",
]


def client_for(*, viewer: Membership, public_id: uuid.UUID | str, action: str = "client.view") -> Client:
    """The client if the viewer may see them now; otherwise the refusal is audited and it is a 404.
    Written as SQL (`core.sql`, one query as the ORM's), like the overview's other own reads: see
    bench/README.md for what each saves."""
    found = sql.rows(
        f"""
        SELECT {sql.columns(Client, "client")}, {sql.columns(Municipality, "place")}
        FROM clients_client client
        LEFT JOIN clients_municipality place ON place.code = client.municipality_id
        WHERE client.public_id = %s
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [sql.param(Client, "public_id", _uuid_or_404(public_id))],
    )
    if not found:
        raise Http404
    client, municipality = sql.instances(found[0], Client, Municipality)
    if municipality is not None:
        client.municipality = municipality
    permissions.require(viewer, action, client, hide=True)
    return client


def _uuid_or_404(value: uuid.UUID | str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def case_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Case:
    case = (
        Case.objects.select_related("client__municipality", "unit__organisation", "personal_worker__user")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    permissions.require(viewer, "client.view", case.client, hide=True)
    return case


def cases_of(client: Client, *, viewer: Membership) -> list[Case]:
    """The client's cases the viewer may know of: their own organisation's and those whose team they are
    on. Another organisation's case (its status, notes, outcome) is that organisation's record. Open
    cases first, then the latest closed; each with its unit, organisation and personal worker. One query,
    written as SQL (`core.sql`)."""
    on_team, team_ids = sql.in_list(access.team_case_ids(viewer, client))
    cases = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(Case, "c")}, {sql.columns(Unit, "unit")}, {sql.columns(Organisation, "org")},
            {sql.columns(Membership, "worker")}, {sql.columns(User, "person")}
        FROM clients_case c
        JOIN accounts_unit unit ON unit.id = c.unit_id
        JOIN accounts_organisation org ON org.id = unit.organisation_id
        LEFT JOIN accounts_membership worker ON worker.id = c.personal_worker_id
        LEFT JOIN accounts_user person ON person.id = worker.user_id
        WHERE c.client_id = %s AND (unit.organisation_id = %s OR c.id IN {on_team})
        ORDER BY CASE WHEN c.closed_on IS NULL THEN 0 ELSE 1 END, c.closed_on DESC, c.opened_on DESC,
            c.id DESC
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, viewer.unit.organisation_id, *team_ids],
    ):
        case, unit, organisation, worker, person = sql.instances(
            row, Case, Unit, Organisation, Membership, User
        )
        unit.organisation = organisation
        case.unit = unit
        if worker is not None:
            worker.user = person
            case.personal_worker = worker
        case.client = client  # as client.cases would have set it: the rules read case.client
        cases.append(case)
    return cases


@dataclass(frozen=True)
class CaseElsewhere:
    organisation: str
    unit: str


def cases_elsewhere(client: Client, *, viewer: Membership, known: list[Case]) -> list[CaseElsewhere]:
    """The units (with their organisations) of the client's open cases the viewer does not know of
    (`known`: `cases_of`): what a worker who opened the client through break-the-glass is told instead of
    "no cases", so that they know whom to contact. Nothing of the case itself, nor of its people."""
    return [
        CaseElsewhere(
            organisation=names.in_reader_language(organisation, organisation_sv),
            unit=names.in_reader_language(unit, unit_sv),
        )
        for organisation, organisation_sv, unit, unit_sv in Case.objects.filter(
            client=client, closed_on__isnull=True
        )
        .exclude(pk__in=[case.pk for case in known])
        .order_by("unit__organisation__name", "unit__name")
        .values_list("unit__organisation__name", "unit__organisation__name_sv", "unit__name", "unit__name_sv")
        .distinct()
    ]


def break_glass_reason(client: Client, *, viewer: Membership) -> str:
    """The reason the viewer stated, when they see the client only through break-the-glass; else ""."""
    if access.is_on_client_team(viewer, client):
        return ""
    reason = (
        BreakGlassAccess.objects.filter(client=client, membership=viewer, expires_at__gt=story_time.now())
        .order_by("-at")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""


def client_by_public_id(public_id: uuid.UUID | str) -> Client:
    """Unscoped, for break-the-glass only: the caller checks permission and shows nothing of the client."""
    client = Client.objects.filter(public_id=public_id).first()
    if client is None:
        raise Http404
    return client


def cases_for_export(client: Client, *, viewer: Membership | None) -> list[Case]:
    """cases_of with everything the export prints, in a fixed number of queries; every case of the
    client without a viewer (the client's own download)."""
    cases = Case.objects.filter(client=client)
    if viewer is not None:
        cases = Case.objects.filter(pk__in=[case.pk for case in cases_of(client, viewer=viewer)])
    return list(
        cases.select_related(
            "unit__organisation", "personal_worker__user", "personal_worker__unit__organisation"
        )
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=CaseStatusChange.objects.select_related(
                    "by__user", "by__unit__organisation"
                ).order_by("at", "id"),
            ),
            Prefetch(
                "worker_changes",
                queryset=CaseWorkerChange.objects.select_related(
                    "worker__user", "worker__unit__organisation"
                ),
            ),
            Prefetch(
                "team",
                queryset=CaseTeamMember.objects.select_related(
                    "membership__user", "membership__unit__organisation"
                ).order_by("started_on", "id"),
            ),
        )
        .order_by(F("closed_on").desc(nulls_first=True), "-opened_on", "-id")
    )


def team_of(case: Case, *, include_ended: bool = True) -> list[CaseTeamMember]:
    """The case's team periods, current first, each with its member, their user, unit and organisation.
    One query, written as SQL (`core.sql`)."""
    team = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(CaseTeamMember, "period")}, {sql.columns(Membership, "member")},
            {sql.columns(User, "person")}, {sql.columns(Unit, "unit")}, {sql.columns(Organisation, "org")}
        FROM clients_caseteammember period
        JOIN accounts_membership member ON member.id = period.membership_id
        JOIN accounts_user person ON person.id = member.user_id
        JOIN accounts_unit unit ON unit.id = member.unit_id
        JOIN accounts_organisation org ON org.id = unit.organisation_id
        WHERE period.case_id = %s {"" if include_ended else "AND period.ended_on IS NULL"}
        ORDER BY CASE WHEN period.ended_on IS NULL THEN 0 ELSE 1 END, period.ended_on DESC,
            period.started_on, period.id
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [case.pk],
    ):
        period, member, person, unit, organisation = sql.instances(
            row, CaseTeamMember, Membership, User, Unit, Organisation
        )
        unit.organisation = organisation
        member.user = person
        member.unit = unit
        period.membership = member
        period.case = case
        team.append(period)
    return team


def consents_of(client: Client, *, viewer: Membership | None = None) -> list[Consent]:
    """The client's consents, newest first, with the organisations they name (who recorded or revoked
    one is in the timeline); with `viewer`, those they may see: every one for the client's own personal
    worker in the organisation holding the record, else those their organisation gives or receives
    (a consent between two other organisations tells of a care relationship: `access.own_part`). One
    query, written as SQL (`core.sql`)."""
    own = access.own_part(viewer, client) if viewer is not None else None
    consents = []
    for row in sql.rows(
        f"""
        SELECT {sql.columns(Consent, "consent")}, {sql.columns(Organisation, "discloser")},
            {sql.columns(Organisation, "recipient")}
        FROM clients_consent consent
        JOIN accounts_organisation discloser ON discloser.id = consent.discloser_id
        JOIN accounts_organisation recipient ON recipient.id = consent.recipient_id
        WHERE consent.client_id = %s
            {"" if own is None else "AND (consent.discloser_id = %s OR consent.recipient_id = %s)"}
        ORDER BY consent.valid_from DESC, consent.id DESC
        """,  # noqa: S608 - fixed SQL, the values are parameters
        [client.pk, *([] if own is None else [own, own])],
    ):
        consent, discloser, recipient = sql.instances(row, Consent, Organisation, Organisation)
        consent.discloser = discloser
        consent.recipient = recipient
        consents.append(consent)
    return consents


def consent_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Consent:
    consent = (
        Consent.objects.select_related("client", "discloser", "recipient").filter(public_id=public_id).first()
    )
    if consent is None:
        raise Http404
    permissions.require(viewer, "client.view", consent.client, hide=True)
    return consent


def team_period_for(*, viewer: Membership, public_id: uuid.UUID | str) -> CaseTeamMember:
    period = (
        CaseTeamMember.objects.select_related("case__client", "membership__user")
        .filter(public_id=public_id)
        .first()
    )
    if period is None:
        raise Http404
    permissions.require(viewer, "client.view", period.case.client, hide=True)
    return period


def contacts_of(client: Client, *, viewer: Membership | None) -> QuerySet[Contact]:
    """Contacts the viewer may read: their organisation's, and others' under a valid consent; every one
    without a viewer (the client's own download)."""
    return (
        Contact.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client) if viewer is not None else Q())
        .select_related("author__user", "organisation", "case__unit")
        .order_by("-happened_on", "-id")
    )


def organisations_for_consent() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def find_client_by_identity_code(code: str) -> Client | None:
    """Whether Polku holds this person (for the duplicate check and break-the-glass), unscoped: callers
    show nothing of the client without a permission check."""
    try:
        parsed = identity.parse(code)
    except Exception:
        return None
    return Client.objects.filter(identity_code_hash=identity.lookup_hash(parsed.code)).first()
