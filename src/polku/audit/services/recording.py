"""Recording audit events: one at a time, in bulk, and despite a rolled-back transaction. The
events are sealed into the chain after the commit (sealing.py)."""

from __future__ import annotations

import ipaddress
import json
import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, models, transaction
from django.db.models import Field
from django.utils.ipv6 import clean_ipv6_address

from polku.audit import basis as access_basis
from polku.audit.context import RequestContext, current
from polku.audit.models import AuditEvent, ListedClient, PendingSeal
from polku.audit.redaction import mask_identity_codes, mask_value
from polku.audit.services.sealing import seal_after_commit
from polku.core import plugins, story_time

# The acting accounts.Membership (preferred) or accounts.User, or None for the system. Audit sits below
# accounts (accounts records its events here), so it knows them only through its own foreign keys.
Actor = Any


def _actor_models() -> tuple[type, type]:
    """The membership and user models, as AuditEvent's foreign keys name them."""
    fields = AuditEvent._meta
    return cast(type, fields.get_field("membership").related_model), cast(
        type, fields.get_field("actor").related_model
    )


def _describe(obj: Any) -> tuple[str, str]:
    """Object type and public id; the public id (a UUID) is used wherever an object has one. A bulk
    writer that holds only ids passes the pair itself: ("clients.case", "<public id>")."""
    if obj is None:
        return "", ""
    if isinstance(obj, tuple):
        object_type, object_id = obj
        return str(object_type), str(object_id)
    if isinstance(obj, models.Model):
        public_id = getattr(obj, "public_id", None)
        return obj._meta.label_lower, str(public_id if public_id is not None else obj.pk)
    return type(obj).__name__.lower(), ""


def _client_id(client: Any) -> uuid.UUID | None:
    if client is None:
        return None
    if isinstance(client, uuid.UUID):
        return client
    if isinstance(client, str):
        return uuid.UUID(client)
    public_id = client.public_id
    assert isinstance(public_id, uuid.UUID)
    return public_id


def _normalised_ip(ip: str | None) -> str | None:
    """The address as the database will give it back, so that the hash still matches when read."""
    if not ip:
        return None
    try:
        return clean_ipv6_address(ip) if ":" in ip else str(ipaddress.IPv4Address(ip))
    except (ValueError, ValidationError):
        return None


def _as_stored(value: Any) -> Any:
    """Details as JSON will store them: UUIDs, dates and decimals as strings, and floats as strings too,
    since PostgreSQL's jsonb may write a float back as an integer and change the hash."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(key): _as_stored(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_stored(item) for item in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def new_event(
    actor: Actor,
    action: str,
    obj: Any = None,
    *,
    client: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    request: RequestContext | None = None,
    basis: dict[str, Any] | None = None,
) -> AuditEvent:
    """The event `record` writes, built and hashed but not saved: `record_many` writes many of them at
    once. Identity codes are masked from every text field here, before anything is hashed. Without a
    `basis` (`basis.py`) the event's is the rule of its action."""
    membership_model, user_model = _actor_models()
    membership: Any = actor if isinstance(actor, membership_model) else None
    user: Any = membership.user if membership else actor if isinstance(actor, user_model) else None
    if user is not None and not user.pk:
        user = None
    object_type, object_id = _describe(obj)
    # Ids rather than instances: a bulk writer builds millions of these, and setting a relation by its
    # instance costs more than the rest of the event.
    event = AuditEvent(
        at=story_time.now(),  # the real time, except for what the demo seeder tells (core.story_time)
        actor_id=user.pk if user else None,
        actor_label=user.email if user else "",
        membership_id=membership.pk if membership else None,
        organisation_id=membership.unit.organisation_id if membership else None,
        role=membership.role if membership else "",
        action=action,
        object_type=object_type,
        object_id=mask_identity_codes(object_id),
        client_id=_client_id(client),
        reason=mask_identity_codes(reason),
        request_id=request.request_id if request else "",
        ip=_normalised_ip(request.ip) if request else None,
        details=_as_stored(mask_value(details or {})),
        basis=_as_stored(mask_value(basis or access_basis.rule(action))),
    )
    event.hash = event.compute_hash()
    return event


def record(
    actor: Actor,
    action: str,
    obj: Any = None,
    *,
    client: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    listed: list[Any] | None = None,
    basis: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is the acting membership (preferred) or a user (before one is chosen,
    for example at login). Identity codes are masked from every text field before anything is stored.

    `listed`: the clients (or their public ids) a list page showed. They go into the details as
    `clients` and into `ListedClient`, through which each client's access report finds the view.

    `basis`: why the access was allowed (`basis.py`). Without it, the basis the permission rules noted
    for the actor and the client in this request; outside a request, what a `BasisFinder` reads; else
    the rule of `action`.
    """
    listed_ids = [public_id for public_id in map(_client_id, listed or []) if public_id]
    if listed is not None:
        details = {**(details or {}), "clients": [str(public_id) for public_id in listed_ids]}
    if basis is None:
        basis = basis_of(actor, client)
    event = new_event(
        actor, action, obj, client=client, reason=reason, details=details, request=current.get(), basis=basis
    )
    # No lock: the event and its place in the sealer's queue are written together (and roll back
    # together); the chain link is added after the commit, by one sealer for many events at once.
    if connection.vendor == "postgresql":
        _insert_queued(event, listed_ids)
    else:
        with transaction.atomic():
            event.save(force_insert=True)
            PendingSeal.objects.create(event_id=event.pk, hash=event.hash)
            ListedClient.objects.bulk_create(
                [ListedClient(event_id=event.pk, client_id=client_id) for client_id in listed_ids]
            )
    transaction.on_commit(seal_after_commit, robust=True)
    return event


def basis_of(actor: Actor, client: Any) -> dict[str, Any] | None:
    """The basis of the actor's access to the client (a model instance): noted in this request, or read by
    a `BasisFinder` outside one. None when neither knows (the event's basis is then its action's rule)."""
    membership_model, _ = _actor_models()
    if not isinstance(actor, membership_model) or not isinstance(client, models.Model):
        return None
    if access_basis.in_request():
        return access_basis.noted(cast(Any, actor).pk, client.pk)
    for finder in plugins.contributions(access_basis.BasisFinder):
        found = finder.find(actor, client)
        if found is not None:
            return found
    return None


RECORD_MANY_BATCH = 5000


def record_many(events: Iterable[AuditEvent]) -> int:
    """Append events built by `new_event`, in the given order, each with its place in the sealing queue,
    like `record` but in batches (COPY on PostgreSQL, where a bulk seeder writes millions); the normal
    sealer links them into the chain. Returns how many were written."""
    written = 0
    batch: list[AuditEvent] = []
    with transaction.atomic():  # all or none, as for any other write
        for event in events:
            if event.pk is not None or not event.hash:
                raise ValueError("record_many takes new events from new_event, unsaved and hashed.")
            batch.append(event)
            if len(batch) == RECORD_MANY_BATCH:
                written += _write_many(batch)
                batch = []
        if batch:
            written += _write_many(batch)
    if written:
        transaction.on_commit(seal_after_commit, robust=True)
    return written


def _write_many(events: list[AuditEvent]) -> int:
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(events)
        PendingSeal.objects.bulk_create([PendingSeal(event_id=e.pk, hash=e.hash) for e in events])
        return len(events)
    opts = AuditEvent._meta
    fields = opts.local_concrete_fields
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The ids come from the table's own sequence, so writers running meanwhile never collide.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(events)],
        )
        for event, (pk,) in zip(events, sorted(cursor.fetchall()), strict=True):
            event.pk = pk
        columns = ", ".join(quote(field.column) for field in fields)
        with cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for event in events:
                copy.write_row([_copy_value(event, field) for field in fields])
        queue = quote(PendingSeal._meta.db_table)
        with cursor.cursor.copy(f"COPY {queue} (event_id, hash) FROM STDIN") as copy:
            for event in events:
                copy.write_row((event.pk, event.hash))
    return len(events)


def _copy_value(event: AuditEvent, field: Field[Any, Any]) -> Any:
    """A column's value as COPY takes it: JSON as its text (the details are already as stored)."""
    value = getattr(event, field.attname)
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return value


def _insert_queued(event: AuditEvent, listed_ids: list[uuid.UUID]) -> None:
    """The event, its place in the sealing queue and the clients a list page showed, in one statement,
    which is atomic by itself: every page view writes an event, and a transaction of two inserts took
    four round trips (begin, insert, insert, commit) where this takes one."""
    insert, fields = _event_insert(connection.alias)
    params = [field.get_db_prep_save(field.pre_save(event, True), connection) for field in fields]
    queue = connection.ops.quote_name(PendingSeal._meta.db_table)
    links, link_params = "", []
    if listed_ids:
        table = connection.ops.quote_name(ListedClient._meta.db_table)
        links = (
            f", listed AS (INSERT INTO {table} (event_id, client_id) "  # noqa: S608 - the model's table
            "SELECT event.id, unnest(%s::uuid[]) FROM event)"
        )
        link_params = [listed_ids]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH event AS ({insert}){links} "  # noqa: S608 - Django's own INSERT and the model's table
            f"INSERT INTO {queue} (event_id, hash) SELECT event.id, %s FROM event RETURNING event_id",
            (*params, *link_params, event.hash),
        )
        row = cursor.fetchone()
    assert row is not None
    event.pk = row[0]


@lru_cache(maxsize=4)
def _event_insert(alias: str) -> tuple[str, list[Field[Any, Any]]]:
    """The INSERT of one event, returning its id, and the fields in its parameters' order. The
    statement is the same for every event, so it is written once from the model's fields."""
    opts = AuditEvent._meta
    fields = [field for field in opts.local_concrete_fields if not field.primary_key]
    quote = connections[alias].ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    insert = (
        f"INSERT INTO {quote(opts.db_table)} ({columns}) "  # noqa: S608 - the model's own names
        f"VALUES ({placeholders}) RETURNING {quote(opts.pk.column)}"
    )
    return insert, fields


PENDING_ATTRIBUTE = "polku_pending_audit"


def record_despite_rollback(
    error: BaseException, actor: Actor, action: str, obj: Any = None, **kwargs: Any
) -> None:
    """Record an event that must outlive the rollback `error` is about to cause (a refusal raised inside
    a service's transaction). The event is written now and also rides on the exception: once the
    transaction has unwound, `RequestContextMiddleware` (or the API's exception handler) calls
    `record_pending`, which writes it again only if the rollback took it away.
    """
    event = record(actor, action, obj, **kwargs)
    setattr(
        error,
        PENDING_ATTRIBUTE,
        {"event_id": event.pk, "actor": actor, "action": action, "obj": obj, **kwargs},
    )


def record_pending(error: BaseException) -> AuditEvent | None:
    """The event riding on `error`, written again if a rollback removed it; None when none rides on it
    or it survived."""
    pending = getattr(error, PENDING_ATTRIBUTE, None)
    if not pending:
        return None
    delattr(error, PENDING_ATTRIBUTE)
    if AuditEvent.objects.filter(pk=pending.pop("event_id")).exists():
        return None
    return record(pending.pop("actor"), pending.pop("action"), pending.pop("obj"), **pending)
