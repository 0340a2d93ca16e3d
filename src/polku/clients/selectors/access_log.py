"""A client's access log: who viewed or changed their data, scoped to the part the viewer may see, and
each event as people read it (`AccessEvent`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps as django_apps
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from polku.accounts.models import Membership
from polku.audit import labels
from polku.audit.models import AuditEvent, ListedClient
from polku.clients import access, actors, audit_labels
from polku.clients.models import Case, CaseTeamMember, Client

__all__ = ["ACCESS_EVENTS_PAGE", "AccessEvent", "access_events", "access_report"]


def access_report(client: Client, *, viewer: Membership | None = None) -> QuerySet[AuditEvent]:
    """Who viewed or changed the client's data, newest first: the events about the client and the list
    pages that showed them (`audit.record(listed=...)`). With `viewer`, the part they may see: every
    organisation's for the client's own personal worker in the organisation holding the record, else
    their own organisation's (`access.own_part`), and in either case less the events about records the
    viewer may not read (another organisation's case, or a record of a register the client has not
    disclosed to the viewer's organisation): that a health contact was written or read is the health
    record's own. Without a viewer, all of it (the client themself)."""
    about = AuditEvent.objects.filter(client_id=client.public_id).order_by().values("id")
    listed = ListedClient.objects.filter(client_id=client.public_id).order_by().values("event_id")
    events = AuditEvent.objects.filter(pk__in=about.union(listed, all=True))
    if viewer is not None:
        own = access.own_part(viewer, client)
        if own is not None:
            events = events.filter(organisation_id=own)
        for object_type, object_ids in _hidden_records(client, viewer=viewer).items():
            events = events.exclude(object_type=object_type, object_id__in=object_ids)
    return events.select_related(
        "actor", "organisation", "membership__user", "membership__unit__organisation"
    ).order_by("-at", "-id")


def _hidden_records(client: Client, *, viewer: Membership) -> dict[str, list[str]]:
    """By audit object type, the public ids of the client's records the viewer may not read: the cases
    of other organisations whose team the viewer is not on, and every app's register records (a model
    with a client, an organisation and a register, or one raised by such a record through `response`,
    as a safety alert is) that `access.disclosed_records` leaves out. Found from the models themselves,
    so that every app's records are covered without the clients app naming them; one query."""
    on_team = CaseTeamMember.objects.filter(
        case=OuterRef("pk"), membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate()
    )
    parts: list[QuerySet[Any]] = [
        Case.objects.filter(client=client)
        .exclude(Q(unit__organisation_id=viewer.unit.organisation_id) | Q(Exists(on_team)))
        .order_by()
        .values_list(Value(Case._meta.label_lower), "public_id")
    ]
    disclosed = access.disclosed_records(viewer, client=client)
    for model, source in _client_record_models():
        records = model._default_manager.filter(client=client)
        if source is None:
            records = records.exclude(disclosed)
        else:
            readable = source._default_manager.filter(client=client).filter(disclosed).values("pk")
            records = records.exclude(response__in=readable)
        parts.append(records.order_by().values_list(Value(model._meta.label_lower), "public_id"))
    hidden: dict[str, list[str]] = {}
    for object_type, public_id in parts[0].union(*parts[1:], all=True):
        hidden.setdefault(object_type, []).append(str(public_id))
    return hidden


@functools.cache
def _client_record_models() -> tuple[tuple[type[Model], type[Model] | None], ...]:
    """The models `_hidden_records` reads, found once (the installed models do not change while the
    process runs): each register record model (a client, a public id, an organisation and a register)
    with None, and each model raised by one through `response` with that source model."""

    def names(model: type[Model]) -> set[str]:
        return {field.name for field in model._meta.get_fields()}

    found: list[tuple[type[Model], type[Model] | None]] = []
    for model in django_apps.get_models():
        fields = names(model)
        if not {"client", "public_id"} <= fields:
            continue
        if {"organisation", "register"} <= fields:
            found.append((model, None))
        elif "response" in fields:
            source = model._meta.get_field("response").related_model
            if (
                isinstance(source, type)
                and issubclass(source, Model)
                and {"organisation", "register"} <= names(source)
            ):
                found.append((model, source))
    return tuple(found)


@dataclass(frozen=True)
class AccessEvent:
    """One row of a client's access log as people read it: when, who (with their unit and organisation),
    in which role, from which organisation, what they did, and on what basis (`audit.basis`)."""

    at: datetime
    person: str
    role: str
    organisation: str
    action: str
    basis: str
    reason: str
    event: AuditEvent

    @classmethod
    def of(cls, event: AuditEvent) -> AccessEvent:
        return cls(
            at=event.at,
            person=actors.event_actor(event) or "–",
            role=audit_labels.role_name(event.role) if event.role else "–",
            organisation=event.organisation.display_name if event.organisation else "–",
            action=labels.label_for(event.action),
            basis=audit_labels.basis_label(event.basis),
            reason=event.reason,
            event=event,
        )


ACCESS_EVENTS_PAGE = 50


def access_events(
    client: Client, *, viewer: Membership | None, number: Any = None, size: int = ACCESS_EVENTS_PAGE
) -> Page[AccessEvent]:
    """A page of the client's audit events as `AccessEvent` rows (basis, person, role, organisation,
    action and time in the reader's language), scoped as `access_report`: the staff access report and
    the export use it, and a client portal passes `viewer=None` (the client sees every part). Two queries
    (how many, and the page)."""
    events = Paginator(access_report(client, viewer=viewer), size).get_page(number)
    rows = [AccessEvent.of(event) for event in events.object_list]
    return Page(rows, events.number, events.paginator)  # type: ignore[arg-type]
