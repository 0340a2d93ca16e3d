"""The client relationship and consent scoping (ARCHITECTURE.md rule 1), used by every app.

Staff see a client while they are on one of the client's case teams, or for a few hours after a
personal worker has opened the client with a stated reason ("break the glass"). Records of a register are
shown only when the viewer's organisation owns them or the client's valid consent lets the owner
disclose that register to it: that rule is `disclosure.py`, re-exported here so that every app's
`selectors` find the client relationship and the consent scoping in one place. Every app's `rules.py`
asks the same facts (`sees_client`, `is_on_team`, ...).

Within `permissions.decided_once` the facts about a viewer and one client are read in one query and
remembered (`ClientFacts`); outside it each function reads only the fact it needs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit import basis as audit_basis
from polku.clients.disclosure import Disclosers as Disclosers
from polku.clients.disclosure import disclosed_records as disclosed_records
from polku.clients.disclosure import disclosed_records_sql as disclosed_records_sql
from polku.clients.disclosure import disclosed_rows as disclosed_rows
from polku.clients.disclosure import disclosed_to_organisation as disclosed_to_organisation
from polku.clients.disclosure import disclosers as disclosers
from polku.clients.models import (
    TEAM_ROLES,
    BreakGlassAccess,
    Case,
    CaseTeamMember,
    Client,
)
from polku.core import sql, story_time


def client_relationship(viewer: Membership, *, client_field: str = "pk") -> Q:
    """Q on Client (or, with `client_field`, on a model with a client key) for the clients the viewer
    may see now."""
    on_team = _team_periods_now(viewer).filter(case__client=OuterRef(client_field))
    glass = _glass_now(viewer).filter(client=OuterRef(client_field))
    return Q(Exists(on_team)) | Q(Exists(glass))


def visible_client_ids(viewer: Membership) -> QuerySet[Any]:
    """The ids of the clients the viewer may see now, as one subquery (`client_id__in=`): the same rule
    as `client_relationship`, for a query over many rows where one set read once beats an `EXISTS`
    per row (PostgreSQL hashes it and joins)."""
    on_team = _team_periods_now(viewer).order_by().values("case__client_id")
    glass = _glass_now(viewer).order_by().values("client_id")
    return on_team.union(glass, all=True)


def _team_periods_now(viewer: Membership) -> QuerySet[CaseTeamMember]:
    """The viewer's team periods that have started and not ended."""
    return CaseTeamMember.objects.filter(
        membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate()
    )


def _glass_now(viewer: Membership) -> QuerySet[BreakGlassAccess]:
    """The viewer's break-the-glass accesses that have not expired."""
    return BreakGlassAccess.objects.filter(membership=viewer, expires_at__gt=story_time.now())


def client_of(obj: Any) -> Any:
    """The client an object belongs to: a client, or anything with a `client`."""
    return obj if isinstance(obj, Client) else obj.client


def refused_client(obj: Any) -> Client | None:
    """For `permissions.refuse`: the client a refused object is about, if it is about one."""
    if isinstance(obj, Client):
        return obj
    client = getattr(obj, "client", None)
    return client if isinstance(client, Client) else None


def sees_client(viewer: Membership, obj: Any) -> bool:
    """`client_relationship` for one client: on a case team now, or within break-the-glass."""
    client = client_of(obj)
    facts = client_facts(viewer, client.pk)
    if facts is not None:
        if facts.team_cases:
            _note_team(viewer, client.pk, facts.team_case_ids[_first_team_case(facts)])
            return True
        if facts.glass:
            audit_basis.note(viewer.pk, client.pk, audit_basis.break_glass(facts.glass_reason))
        return facts.glass
    if is_on_client_team(viewer, client):
        return True
    reason = _glass_reason(viewer.pk, client.pk)
    if reason is not None:
        audit_basis.note(viewer.pk, client.pk, audit_basis.break_glass(reason))
    return reason is not None


def _note_team(viewer: Membership, client_id: int, case_public_id: Any) -> None:
    """Note for the audit event that the viewer sees the client as a member of this case's team."""
    audit_basis.note(viewer.pk, client_id, audit_basis.team(case_public_id, viewer.role))


def _first_team_case(facts: ClientFacts) -> int:
    """The case the viewer's team membership is named by: an open one first, the oldest of those."""
    return min(facts.team_cases, key=lambda case_id: (not facts.team_cases[case_id], case_id))


def is_on_client_team(viewer: Membership, client: Any) -> bool:
    """On the team of any of the client's cases now (without break-the-glass)."""
    facts = client_facts(viewer, client.pk)
    if facts is not None:
        if facts.team_cases:
            _note_team(viewer, client.pk, facts.team_case_ids[_first_team_case(facts)])
        return bool(facts.team_cases)
    case = _team_case_public_id(viewer, client)
    if case is not None:
        _note_team(viewer, client.pk, case)
    return case is not None


def is_on_team(viewer: Membership, case: Any) -> bool:
    """On the team of this case now."""
    facts = client_facts(viewer, case.client_id)
    if facts is not None:
        on_team = case.pk in facts.team_cases
    else:
        on_team = CaseTeamMember.objects.filter(
            membership_id=viewer.pk,
            ended_on__isnull=True,
            started_on__lte=timezone.localdate(),
            case_id=case.pk,
        ).exists()
    if on_team:
        _note_team(viewer, case.client_id, case.public_id)
    return on_team


def team_case_ids(viewer: Membership, client: Any) -> list[int]:
    """The client's cases whose team the viewer is on now, as plain ids for a query's `case_id__in`
    (from `client_facts` within `decided_once`, so a page's reads need no team subquery each)."""
    facts = client_facts(viewer, client.pk)
    if facts is not None:
        return sorted(facts.team_cases)
    return list(
        CaseTeamMember.objects.filter(
            membership_id=viewer.pk,
            ended_on__isnull=True,
            started_on__lte=timezone.localdate(),
            case__client_id=client.pk,
        ).values_list("case_id", flat=True)
    )


def is_on_open_case_team(viewer: Membership, client: Any) -> bool:
    """On the team of one of the client's open cases now."""
    facts = client_facts(viewer, client.pk)
    if facts is not None:
        if any(facts.team_cases.values()):
            _note_team(viewer, client.pk, facts.team_case_ids[_first_team_case(facts)])
        return any(facts.team_cases.values())
    case = (
        Case.objects.filter(
            client_id=client.pk,
            closed_on__isnull=True,
            team__membership_id=viewer.pk,
            team__ended_on__isnull=True,
            team__started_on__lte=timezone.localdate(),
        )
        .order_by("pk")
        .values_list("public_id", flat=True)
        .first()
    )
    if case is not None:
        _note_team(viewer, client.pk, case)
    return case is not None


def is_personal_worker_of(viewer: Membership, client: Any) -> bool:
    """The personal worker of one of the client's cases, open or closed."""
    facts = client_facts(viewer, client.pk)
    if facts is not None:
        return facts.worker_of
    return Case.objects.filter(client_id=client.pk, personal_worker_id=viewer.pk).exists()


def knows_of_case(viewer: Membership, case: Any) -> bool:
    """Whether the viewer may know the case exists: their own organisation's, or one they work on.
    Refusals on any other case answer 404 (selectors.cases_of applies the same rule to lists)."""
    return bool(case.unit.organisation_id == viewer.unit.organisation_id or is_on_team(viewer, case))


def works_with_clients(membership: Membership) -> bool:
    return membership.role in TEAM_ROLES


@dataclass(frozen=True)
class ClientFacts:
    """What the rules ask about a viewer and one client, read together (`client_facts`)."""

    team_cases: dict[int, bool]  # the client's cases whose team the viewer is on now: id -> open
    worker_of: bool  # the personal worker of one of the client's cases, open or closed
    glass: bool  # within a break-the-glass access to the client now
    team_case_ids: dict[int, Any] = field(default_factory=dict)  # of `team_cases`: id -> public id
    glass_reason: str = ""  # the reason stated for the newest break-the-glass access in force


def client_facts(viewer: Membership, client_id: int) -> ClientFacts | None:
    """Within `decided_once`: every fact about the viewer and the client in one query the first time a
    rule asks for one of them (a client page asks for four: on a team, on an open case's team, on this
    case's team, personal worker). Outside it, None: each rule reads only the fact it needs."""
    if not permissions.deciding_once():
        return None

    def read() -> ClientFacts:
        # Each case of the client: id, closed on, personal worker, whether the viewer is on its team now,
        # the reason of the viewer's break-the-glass access to the client in force, if any (the same on
        # every row), and the case's public id. Written as SQL (core.sql): every client page asks it.
        rows = [
            (case_id, closed_on, worker_id, bool(on_team), reason, uuid.UUID(str(public_id)))
            for case_id, closed_on, worker_id, on_team, reason, public_id in sql.rows(
                """
                SELECT c.id, c.closed_on, c.personal_worker_id,
                    EXISTS (
                        SELECT 1 FROM clients_caseteammember t
                        WHERE t.case_id = c.id AND t.membership_id = %s AND t.ended_on IS NULL
                            AND t.started_on <= %s
                    ),
                    (
                        SELECT g.reason FROM clients_breakglassaccess g
                        WHERE g.membership_id = %s AND g.client_id = %s AND g.expires_at > %s
                        ORDER BY g.at DESC LIMIT 1
                    ),
                    c.public_id
                FROM clients_case c
                WHERE c.client_id = %s
                """,
                [
                    viewer.pk,
                    timezone.localdate(),
                    viewer.pk,
                    client_id,
                    sql.moment(story_time.now()),
                    client_id,
                ],
            )
        ]
        # No case at all: the break-the-glass access still counts.
        reason = rows[0][4] if rows else _glass_reason(viewer.pk, client_id)
        return ClientFacts(
            team_cases={
                case_id: closed_on is None for case_id, closed_on, _, on_team, _, _ in rows if on_team
            },
            worker_of=any(worker_id == viewer.pk for _, _, worker_id, _, _, _ in rows),
            glass=reason is not None,
            team_case_ids={case_id: public_id for case_id, _, _, on_team, _, public_id in rows if on_team},
            glass_reason=reason or "",
        )

    facts: ClientFacts = permissions.remembered(("client_facts", viewer.pk, client_id), read)
    return facts


def _glass_reason(viewer_id: int, client_id: int) -> str | None:
    """The reason of the viewer's newest break-the-glass access to the client in force; None if none."""
    reason: str | None = (
        BreakGlassAccess.objects.filter(
            membership_id=viewer_id, client_id=client_id, expires_at__gt=story_time.now()
        )
        .order_by("-at")
        .values_list("reason", flat=True)
        .first()
    )
    return reason


def basis_outside_a_request(viewer: Any, client: Any) -> dict[str, Any] | None:
    """For `audit.basis.BasisFinder`: the basis of a membership's access to a client where no request
    noted one (a service called by a command): the team of one of the client's cases, else a
    break-the-glass access in force."""
    if not isinstance(viewer, Membership) or not isinstance(client, Client):
        return None
    case = _team_case_public_id(viewer, client)
    if case is not None:
        return audit_basis.team(case, viewer.role)
    reason = _glass_reason(viewer.pk, client.pk)
    return audit_basis.break_glass(reason) if reason is not None else None


def record_holder(client: Any) -> int | None:
    """The organisation that holds the client's record: the one whose worker registered the client, else
    that of the client's first case."""
    holder: int | None = permissions.remembered(
        ("record_holder", client.pk),
        lambda: (
            Membership.objects.filter(pk=client.created_by_id)
            .values_list("unit__organisation_id", flat=True)
            .first()
            or Case.objects.filter(client_id=client.pk)
            .order_by("opened_on", "pk")
            .values_list("unit__organisation_id", flat=True)
            .first()
        ),
    )
    return holder


def sees_every_organisations_part(viewer: Membership, client: Any) -> bool:
    """Whether the viewer is the client's own personal worker in the organisation that holds the client's
    record: they answer the client's requests (the access report, the export) with every organisation's
    part. Anyone else, a worker who opened a case of their own through break-the-glass included, sees
    only their own organisation's part: its views and changes, its consents, its care relationships."""
    if not is_personal_worker_of(viewer, client):
        return False
    if client.created_by_id == viewer.pk:  # they registered the client: no need to read whose record it is
        return True
    return record_holder(client) == viewer.unit.organisation_id


def own_part(viewer: Membership, client: Any) -> int | None:
    """The organisation whose part alone the viewer may see of the client's access report and export;
    None when they may see every organisation's (`sees_every_organisations_part`)."""
    if sees_every_organisations_part(viewer, client):
        return None
    organisation: int = viewer.unit.organisation_id
    return organisation


def _team_case_public_id(viewer: Membership, client: Any) -> Any:
    """The public id of the case whose team the viewer's access is named by (an open case first, the
    oldest of those), or None when the viewer is on none of the client's teams now. One query."""
    return (
        CaseTeamMember.objects.filter(
            membership_id=viewer.pk,
            ended_on__isnull=True,
            started_on__lte=timezone.localdate(),
            case__client_id=client.pk,
        )
        .order_by(F("case__closed_on").asc(nulls_first=True), "case_id")
        .values_list("case__public_id", flat=True)
        .first()
    )
