"""Reads of support needs, scoped like every read of client data (`accounts.permissions`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership, Organisation, Unit, User
from polku.clients import access, actors, export
from polku.clients import selectors as client_selectors
from polku.clients.models import Client, Contact
from polku.core import sql
from polku.screening.evidence import describe
from polku.screening.models import NeedEvidence, NeedStatusChange, ScreeningRule, SupportNeed


def needs_for(client: Client, *, viewer: Membership) -> list[SupportNeed]:
    """The client's support needs the viewer may read (their organisation's, or another's under the
    client's consent for the need's register), with their evidence, open ones first (two queries)."""
    if not access.sees_client(viewer, client):
        return []
    # The consents were read once for the request (access.disclosers): the rule is plain ids here.
    found = access.disclosers(viewer, client)
    evidence = NeedEvidence.objects.select_related("rule", *EVIDENCE_ACTOR).order_by("at", "id")
    needs = (
        SupportNeed.objects.filter(client=client)
        .filter(access.Disclosers.q(found.own, found.social, found.health, found.employment))
        .select_related("rule", "organisation")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )
    return sorted(
        needs, key=lambda need: (not need.is_open, need.priority, -need.status_changed_at.timestamp())
    )


@dataclass(frozen=True)
class PanelNeed:
    """A need on the client overview's panel with its evidence, oldest first."""

    need: SupportNeed
    evidence: list[NeedEvidence]


def panel_needs(client: Client, *, viewer: Membership) -> list[PanelNeed]:
    """`needs_for` as the client overview reads it, written as SQL (`core.sql`): every overview reads it,
    and the ORM took milliseconds to build its two queries. The same needs, rule and order, each with its
    rule and organisation, its evidence with the evidence's rule and who recorded it (their user, unit and
    its organisation). Two queries, one when the viewer may read no need."""
    if not access.sees_client(viewer, client):
        return []
    disclosed, params = access.disclosers(viewer, client).sql("need")
    needs: dict[int, PanelNeed] = {}
    for row in sql.rows(
        f"""
        SELECT {sql.columns(SupportNeed, "need")}, {sql.columns(ScreeningRule, "rule")},
            {sql.columns(Organisation, "organisation")}
        FROM screening_supportneed need
            JOIN screening_screeningrule rule ON rule.id = need.rule_id
            JOIN accounts_organisation organisation ON organisation.id = need.organisation_id
        WHERE need.client_id = %s AND {disclosed}
        ORDER BY need.priority, need.status_changed_at DESC, need.id DESC
        """,  # noqa: S608 - only column lists and placeholders are formatted in
        [client.pk, *params],
    ):
        need, rule, organisation = sql.instances(row, SupportNeed, ScreeningRule, Organisation)
        need.rule = rule
        need.organisation = organisation
        needs[need.pk] = PanelNeed(need=need, evidence=[])
    if needs:
        listed, ids = sql.in_list(needs)
        for row in sql.rows(
            f"""
            SELECT {sql.columns(NeedEvidence, "item")}, {sql.columns(ScreeningRule, "rule")},
                {sql.columns(Membership, "membership")}, {sql.columns(User, "person")},
                {sql.columns(Unit, "unit")}, {sql.columns(Organisation, "organisation")}
            FROM screening_needevidence item
                JOIN screening_screeningrule rule ON rule.id = item.rule_id
                LEFT JOIN accounts_membership membership ON membership.id = item.by_id
                LEFT JOIN accounts_user person ON person.id = membership.user_id
                LEFT JOIN accounts_unit unit ON unit.id = membership.unit_id
                LEFT JOIN accounts_organisation organisation ON organisation.id = unit.organisation_id
            WHERE item.need_id IN {listed}
            ORDER BY item.at, item.id
            """,  # noqa: S608 - only column lists and placeholders are formatted in
            ids,
        ):
            item, rule, membership, person, unit, organisation = sql.instances(
                row, NeedEvidence, ScreeningRule, Membership, User, Unit, Organisation
            )
            item.rule = rule
            if membership is not None:
                unit.organisation = organisation
                membership.user = person
                membership.unit = unit
            item.by = membership
            needs[item.need_id].evidence.append(item)
    return sorted(
        needs.values(),
        key=lambda entry: (
            not entry.need.is_open,
            entry.need.priority,
            -entry.need.status_changed_at.timestamp(),
        ),
    )


# Who recorded a piece of evidence, in the same query: a worker, or nobody when the client's own answers
# in their Polku flagged it (`clients.actors.actor_or_client`).
EVIDENCE_ACTOR = ("by__user", "by__unit__organisation")


def need_for(*, viewer: Membership, public_id: uuid.UUID | str, action: str = "need.manage") -> SupportNeed:
    """The need if the viewer may do `action` on it; otherwise the refusal is audited and it is a 404."""
    need = SupportNeed.objects.select_related("client", "rule").filter(public_id=public_id).first()
    if need is None:
        raise Http404
    permissions.require(viewer, action, need, hide=True)
    return need


def actions_for(need: SupportNeed, *, viewer: Membership) -> list[tuple[str, object]]:
    """What the viewer can name as done for the need: the client's cases the viewer knows of and the
    latest contacts they may read, as (choice value, object)."""
    choices: list[tuple[str, object]] = []
    for case in client_selectors.cases_of(need.client, viewer=viewer):
        choices.append((f"case:{case.public_id}", case))
    contacts: list[Contact] = list(client_selectors.contacts_of(need.client, viewer=viewer)[:20])
    choices.extend((f"contact:{contact.public_id}", contact) for contact in contacts)
    return choices


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's support needs the viewer may read, with their evidence (the facts as stored and as
    sentences) and their status history, each row with who recorded it (the client themself when their
    own answers flagged it), for the data export; every need without a viewer (the client's own download:
    what the rules concluded of them and why). The history is one query more when there are needs."""
    needs = needs_for(client, viewer=viewer) if viewer is not None else _all_needs(client)
    history: dict[int, list[NeedStatusChange]] = {}
    if needs:
        for change in (
            NeedStatusChange.objects.filter(need__in=needs)
            .select_related(*EVIDENCE_ACTOR)
            .order_by("at", "id")
        ):
            history.setdefault(change.need_id, []).append(change)
    return [
        {
            "summary": "; ".join(
                [
                    f"{need.get_kind_display()} ({need.get_status_display()}), "
                    f"{need.organisation.display_name}",
                    *(str(describe(item)) for item in need.evidence.all()),
                ]
            ),
            "kind": need.get_kind_display(),
            "status": need.get_status_display(),
            "register": need.get_register_display(),
            "organisation": need.organisation.display_name,
            "flagged_at": export.when(need.created_at),
            "acted_on_with": need.action_label,
            "dismissal_reason": need.dismissal_reason,
            "evidence": [
                {
                    "rule": item.rule.code,
                    "rule_version": item.rule.version,
                    "facts": item.facts,
                    "text": str(describe(item)),
                    "source": item.source,
                    "at": export.when(item.at),
                    "by": actors.actor_or_client(item.by),
                }
                for item in need.evidence.all()
            ],
            "history": [
                {
                    "status": change.get_status_display(),
                    "at": export.when(change.at),
                    "by": actors.actor_or_client(change.by),
                    "note": change.note,
                }
                for change in history.get(need.pk, [])
            ],
        }
        for need in needs
    ]


def _all_needs(client: Client) -> list[SupportNeed]:
    evidence = NeedEvidence.objects.select_related("rule", *EVIDENCE_ACTOR).order_by("at", "id")
    return list(
        SupportNeed.objects.filter(client=client)
        .select_related("rule", "organisation")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by("created_at", "id")
    )
