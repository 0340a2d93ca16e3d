"""The client's timeline: one mechanism through which every app tells what happened on the path.

An app contributes its kinds (`TimelineKind`) from its `AppConfig.ready()` through
`polku.core.plugins.contribute` and adds entries from its services (`add`), inside the same
transaction as the change itself. The client overview shows `for_client`, scoped by the
same consent rules as the records themselves; no app edits the overview page to add its events.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Role
from polku.clients import access, actors
from polku.clients.models import (
    Case,
    CaseOutcome,
    CaseStatus,
    CaseTeamMember,
    Client,
    ContactKind,
    Register,
    TimelineEntry,
)
from polku.core import names, plugins, sql


@dataclass(frozen=True)
class TimelineKind:
    """What an entry of this kind says: `label` (a lazy translation) formatted with the entry's params,
    after `describe` has turned stored values (a choice's value, an ISO date) into text."""

    key: str
    label: Any
    describe: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def render(self, params: dict[str, Any]) -> str:
        params = names.in_reader_language_params(params)
        values = self.describe(params) if self.describe else params
        try:
            return str(self.label) % values
        except (KeyError, TypeError, ValueError):
            return str(self.label)


def label_for(entry: TimelineEntry) -> str:
    return _label(entry.kind, entry.params)


def _label(kind_name: str, params: dict[str, Any]) -> str:
    kind = plugins.contribution(TimelineKind, kind_name)
    return kind.render(params) if kind else kind_name


def add(
    client: Client,
    kind: str,
    *,
    by: Membership | None,
    case: Case | None = None,
    obj: Model | None = None,
    register: str = "",
    params: dict[str, Any] | None = None,
    text: str = "",
    organisation: Organisation | None = None,
) -> TimelineEntry:
    """Add an entry. `register` makes it a record of the actor's organisation's register, shown to other
    organisations only under consent; without it the entry is case administration that the whole team
    sees (status, team, worker changes). `organisation` names the organisation whose record the entry is
    when that is not `by`'s: when `by` is None (a host's answer) or another organisation writes on the
    owner's behalf (a provider's answer to a referral); by default `by`'s organisation. An entry with
    `by` None names its outsider in `params["actor"]` (`actors.external`); without one it is read as
    the client's own action in their Polku (`actors.unnamed_actor`)."""
    if plugins.contribution(TimelineKind, kind) is None:
        raise RuntimeError(f"Timeline kind {kind!r} is not contributed by any app.")
    return TimelineEntry.objects.create(
        client=client,
        case=case,
        kind=kind,
        actor=by,
        organisation=organisation if organisation is not None else (by.unit.organisation if by else None),
        register=register,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "public_id", "")) if obj is not None else "",
        params=params or {},
        text=text,
    )


def actor_of(entry: TimelineEntry) -> str:
    """Who wrote the entry (a model row with `actor__user` and `actor__unit__organisation` selected); an
    entry without a membership names the outsider of a feedback link or the client themself."""
    return actors.actor_label(entry.actor) if entry.actor is not None else actors.unnamed_actor(entry.params)


def for_client(client: Client, *, viewer: Membership | None) -> QuerySet[TimelineEntry]:
    """The entries the viewer may see, newest first, with their actors (paginate the result). Case
    administration (status, team, hand-over notes) is shown to the viewer's own organisation and to the
    team of that case; register entries follow the consent rules. Without a viewer (the client's own
    download) every entry of the client."""
    entries = (
        _visible(client, viewer=viewer)
        if viewer is not None
        else TimelineEntry.objects.filter(client=client).order_by("-at", "-id")
    )
    return entries.select_related("actor__user", "actor__unit__organisation", "organisation")


def _visible(client: Client, *, viewer: Membership) -> QuerySet[TimelineEntry]:
    on_case_team = CaseTeamMember.objects.filter(
        case=OuterRef("case"), membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate()
    )
    # The consents were read once for the request (access.disclosers): the rule is plain ids here.
    found = access.disclosers(viewer, client)
    administration = Q(register="") & (
        Q(organisation_id=found.own) | Q(case__isnull=True) | Q(Exists(on_case_team))
    )
    if access.own_part(viewer, client) is not None:
        # A consent between two other organisations tells of their care relationship: only the client's
        # own personal worker in the organisation holding the record sees every consent's entries.
        name = viewer.unit.organisation.name
        administration &= (
            ~Q(kind__in=CONSENT_KINDS)
            | Q(organisation_id=found.own)
            | Q(params__discloser=name)
            | Q(params__recipient=name)
        )
    disclosed = access.Disclosers.q(found.own, found.social, found.health, found.employment)
    return (
        TimelineEntry.objects.filter(client=client).filter(administration | disclosed).order_by("-at", "-id")
    )


@dataclass(frozen=True)
class Item:
    """A timeline entry as the overview shows it: read as plain values, since turning twenty entries
    with their authors into model objects cost the overview more than its query (bench/README.md)."""

    at: datetime
    kind: str
    params: dict[str, Any]
    text: str
    actor_first_name: str | None
    actor_last_name: str | None
    actor_email: str | None
    actor_unit_name: str | None
    actor_organisation_name: str | None
    actor_unit_name_sv: str | None = None
    actor_organisation_name_sv: str | None = None

    @property
    def actor_name(self) -> str:
        """As `User.__str__` writes it: the full name, else the email; nothing for an entry no one wrote."""
        name = f"{self.actor_first_name or ''} {self.actor_last_name or ''}".strip()
        return name or self.actor_email or ""

    @property
    def actor(self) -> str:
        """Who wrote the entry, with their own unit and organisation (`actors.label`); for an entry
        written through a feedback link, the person and employer it names (`external_actor`); for one
        the client's own action wrote in their Polku, the client themself."""
        if self.actor_name:
            return actors.label(
                self.actor_name,
                names.in_reader_language(self.actor_unit_name or "", self.actor_unit_name_sv or ""),
                names.in_reader_language(
                    self.actor_organisation_name or "", self.actor_organisation_name_sv or ""
                ),
            )
        return actors.unnamed_actor(self.params)

    @property
    def label(self) -> str:
        return _label(self.kind, self.params)


def page_for(client: Client, *, viewer: Membership, page: str | None) -> Any:
    """A page of `for_client` (the client overview's timeline) as `Item`s: one query, which reads one
    entry more than the page holds to tell whether there is an older page. The same rule as `_visible`
    (tests/clients/test_timeline.py compares them)."""
    from polku.clients.pages import TIMELINE_PAGE_SIZE, TimelinePage

    number = TimelinePage.number_of(page)
    start = (number - 1) * TIMELINE_PAGE_SIZE
    # `_visible` written as SQL (core.sql): every client overview reads it. What the overview shows of
    # each entry (`Item`): who, with the unit and organisation they work in (not the entry's
    # `organisation`, whose record it is: a provider may answer on the city's record).
    if access.own_part(viewer, client) is not None:
        # A viewer who sees only their own organisation's part (access.own_part: everyone but the client's
        # own personal worker in the organisation holding the record): `_visible` itself, whose consent
        # entries are told apart by the organisations named in their JSON params; it stays ORM rather
        # than database-specific JSON SQL. The SQL below is `_visible` for the viewer who sees every part.
        rows: list[tuple[Any, ...]] = list(
            _visible(client, viewer=viewer).values_list(
                "at",
                "kind",
                "params",
                "text",
                "actor__user__first_name",
                "actor__user__last_name",
                "actor__user__email",
                "actor__unit__name",
                "actor__unit__organisation__name",
                "actor__unit__name_sv",
                "actor__unit__organisation__name_sv",
            )[start : start + TIMELINE_PAGE_SIZE + 1]
        )
        return _page(rows, number)
    found = access.disclosers(viewer, client)
    disclosed, disclosed_params = found.sql("e")
    rows = sql.rows(
        f"""
        SELECT e.at, e.kind, e.params, e.text, u.first_name, u.last_name, u.email, unit.name, o.name,
            unit.name_sv, o.name_sv
        FROM clients_timelineentry e
            LEFT JOIN accounts_membership m ON m.id = e.actor_id
            LEFT JOIN accounts_user u ON u.id = m.user_id
            LEFT JOIN accounts_unit unit ON unit.id = m.unit_id
            LEFT JOIN accounts_organisation o ON o.id = unit.organisation_id
        WHERE e.client_id = %s
            AND (
                e.register = '' AND (
                    e.organisation_id = %s
                    OR e.case_id IS NULL
                    OR EXISTS (
                        SELECT 1 FROM clients_caseteammember t
                        WHERE t.case_id = e.case_id AND t.membership_id = %s AND t.ended_on IS NULL
                            AND t.started_on <= %s
                    )
                )
                OR {disclosed}
            )
        ORDER BY e.at DESC, e.id DESC
        LIMIT %s OFFSET %s
        """,  # noqa: S608 - only placeholders and fixed SQL are formatted in
        [
            client.pk,
            found.own,
            viewer.pk,
            timezone.localdate(),
            *disclosed_params,
            TIMELINE_PAGE_SIZE + 1,  # one more than the page: whether there is an older page
            start,
        ],
    )
    return _page(rows, number)


def _page(rows: list[tuple[Any, ...]], number: int) -> Any:
    """The page of `Item`s from rows read one longer than the page (whether there is an older page)."""
    from polku.clients.pages import TIMELINE_PAGE_SIZE, TimelinePage

    items = [
        Item(sql.aware(at), kind, json.loads(params) if isinstance(params, str) else params, text, *actor)
        for at, kind, params, text, *actor in rows[:TIMELINE_PAGE_SIZE]
    ]
    return TimelinePage(items, number, len(rows) > TIMELINE_PAGE_SIZE)


def _choice(choices: Any, field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def describe(params: dict[str, Any]) -> dict[str, Any]:
        value = params.get(field, "")
        try:
            return {**params, field: str(choices(value).label)}
        except ValueError:
            return params

    return describe


def _date(field: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def describe(params: dict[str, Any]) -> dict[str, Any]:
        try:
            return {**params, field: date_format(date.fromisoformat(params[field]), "SHORT_DATE_FORMAT")}
        except (KeyError, TypeError, ValueError):
            return params

    return describe


def _contact(params: dict[str, Any]) -> dict[str, Any]:
    described = _choice(ContactKind, "kind")(params)
    described = _choice(Register, "register")(described)
    return described


def _status_advanced(params: dict[str, Any]) -> dict[str, Any]:
    from polku.clients.progress import cause_label

    return {**_choice(CaseStatus, "status")(params), "cause": cause_label(str(params.get("cause", "")))}


# The entries of a consent (params: the names of the discloser and the recipient).
CONSENT_KINDS = ("consent.recorded", "consent.revoked")


def consent_names(consent: Any) -> dict[str, str]:
    """A consent entry's params: the discloser's and the recipient's names, Finnish (which the entries'
    disclosure reads) and Swedish beside them (`core.names.both`)."""
    return {
        **names.both("discloser", consent.discloser.name, consent.discloser.name_sv),
        **names.both("recipient", consent.recipient.name, consent.recipient.name_sv),
    }


# The clients app's own kinds (ClientsConfig.ready contributes them).
KINDS = (
    TimelineKind("case.opened", _("Case opened in %(unit)s")),
    # Told to everyone who sees the client (no case, no register): the client's personal workers learn
    # who opened a case of their own after seeing the client outside the case teams, where, when and why.
    TimelineKind(
        "case.opened_from_break_glass",
        _("Case opened in %(unit)s (%(organisation)s) after opening the data outside the case teams"),
    ),
    TimelineKind("case.status_changed", _("Status changed to “%(status)s”"), _choice(CaseStatus, "status")),
    TimelineKind("case.status_advanced", _("Status changed to “%(status)s”: %(cause)s"), _status_advanced),
    TimelineKind("case.closed", _("Case closed: %(outcome)s"), _choice(CaseOutcome, "outcome")),
    TimelineKind("case.worker_assigned", _("Personal worker: %(worker)s")),
    TimelineKind("case.next_step", _("Next step planned for %(on)s: %(step)s"), _date("on")),
    TimelineKind("team.member_added", _("%(member)s joined the team (%(role)s)"), _choice(Role, "role")),
    TimelineKind("team.member_ended", _("%(member)s left the team")),
    TimelineKind("contact.recorded", _("%(kind)s (%(register)s)"), _contact),
    TimelineKind("consent.recorded", _("Consent recorded: %(discloser)s to %(recipient)s")),
    TimelineKind("consent.revoked", _("Consent revoked: %(discloser)s to %(recipient)s")),
    TimelineKind("client.details_changed", _("Basic details updated")),
)
