"""Writing and verifying the audit chain."""

from __future__ import annotations

import ipaddress
import json
import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, models, transaction
from django.db.models import Exists, Field, OuterRef
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from polku.audit import basis as access_basis
from polku.audit import checkpoints
from polku.audit.checkpoints import Checkpoint, CheckpointFileError
from polku.audit.context import RequestContext, current
from polku.audit.models import GENESIS_HASH, AuditEvent, AuditSeal, ChainHead, ListedClient, PendingSeal
from polku.audit.redaction import mask_identity_codes, mask_value
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


logger = logging.getLogger("polku.audit")


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
    transaction.on_commit(_seal_after_commit, robust=True)
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
        transaction.on_commit(_seal_after_commit, robust=True)
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


# pg_try_advisory_xact_lock key: "polku audit sealer".
SEALER_LOCK = 0x706F6C6B75_5345
SEAL_BATCH = 500


def _sealer_lock(*, wait: bool) -> bool:
    """One sealer at a time. PostgreSQL: a transaction-scoped advisory lock, which page views skip
    rather than wait for. SQLite runs one writing transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEALER_LOCK])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEALER_LOCK])
        row = cursor.fetchone()
        return bool(row and row[0])


def seal_pending(*, wait: bool = False, max_batches: int | None = 4) -> int:
    """Link waiting events into the chain, in id order; returns how many were sealed.

    Without `wait`, returns at once when another sealer is at work: that one reads the queue again
    after each batch (each statement sees what has committed since), so it takes these events too.
    """
    sealed = 0
    with transaction.atomic():
        if not _sealer_lock(wait=wait):
            return 0
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        batches = 0
        while max_batches is None or batches < max_batches:
            batches += 1
            waiting = _take_waiting()
            if not waiting:
                break
            seals = []
            for event_id, event_hash in _made_by_record(waiting, head):
                link = AuditSeal.link(head.last_hash, event_hash)
                seals.append(AuditSeal(event_id=event_id, prev_hash=head.last_hash, hash=link))
                head.last_event_id, head.last_hash, head.count = event_id, link, head.count + 1
            AuditSeal.objects.bulk_create(seals)
            sealed += len(seals)
            if len(waiting) < SEAL_BATCH:
                break
        if sealed:
            head.save(update_fields=["last_event_id", "last_hash", "count"])
    return sealed


def _made_by_record(waiting: list[tuple[int, str]], head: ChainHead) -> list[tuple[int, str]]:
    """The waiting events that `record` wrote: the event is there, its queue row names its hash, and the
    hash is its contents' HMAC with the anchor key. Anyone who can write to the database can add an
    event and a queue row; without the key its hash gives it away, and it is left out of the chain
    (`verify_chain` then names it as added behind the application's back).

    Events written before the anchor key carry a plain SHA-256; they are still taken while the chain
    holds only such events (the queue at an upgrade), never after the first keyed one."""
    wanted = [event_id for event_id, _ in waiting]
    if head.last_event_id is not None:
        wanted.append(head.last_event_id)
    events = AuditEvent.objects.in_bulk(wanted)
    newest = events.get(head.last_event_id) if head.last_event_id is not None else None
    unkeyed_chain = newest is not None and newest.hash == newest.compute_unkeyed_hash()
    accepted = []
    for event_id, event_hash in waiting:
        event = events.get(event_id)
        if event is None or event.hash != event_hash:
            logger.error(
                "Audit event #%s was not sealed: it was removed or changed while it waited.", event_id
            )
        elif event.has_keyed_hash():
            accepted.append((event_id, event_hash))
            unkeyed_chain = False
        elif unkeyed_chain and event.hash == event.compute_unkeyed_hash():
            accepted.append((event_id, event_hash))
        else:
            logger.error(
                "Audit event #%s was not sealed: its hash was not made with the anchor key, so it was "
                "written behind the application's back.",
                event_id,
            )
    return accepted


def _take_waiting() -> list[tuple[int, str]]:
    """Remove the oldest waiting events from the queue and return them (id, hash) in id order."""
    if connection.vendor == "postgresql":
        table = PendingSeal._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE event_id IN "  # noqa: S608 - the table name is the model's
                f"(SELECT event_id FROM {table} ORDER BY event_id LIMIT %s) RETURNING event_id, hash",
                [SEAL_BATCH],
            )
            return sorted(cursor.fetchall())
    waiting = list(PendingSeal.objects.order_by("event_id").values_list("event_id", "hash")[:SEAL_BATCH])
    PendingSeal.objects.filter(event_id__in=[event_id for event_id, _ in waiting]).delete()
    return waiting


class ChainRewound(RuntimeError):
    """The chain no longer holds what the newest checkpoint recorded."""


def checkpoint_write(*, path: Path | None = None) -> Checkpoint:
    """Append a signed checkpoint of the chain head to the checkpoint file and the log (checkpoints.py).

    Taken under the sealer's lock, so that checkpoints follow the chain's order. Refused with
    `ChainRewound` when the chain no longer extends the newest checkpoint: writing one for a rewound
    chain would make the rewind the new normal."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    with transaction.atomic():
        _sealer_lock(wait=True)
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        previous = checkpoints.latest(path)
        if previous and (problem := _missing_since(previous, head)):
            raise ChainRewound(problem)
        checkpoint = Checkpoint(
            count=head.count,
            event_id=head.last_event_id,
            hash=head.last_hash,
            at=timezone.now().astimezone(UTC).isoformat(timespec="seconds"),
        ).signed()
        checkpoints.append(checkpoint, path)
    return checkpoint


def _missing_since(checkpoint: Checkpoint, head: ChainHead) -> str:
    """Why the chain head does not extend the checkpoint ("" when it does): a cheap look at the head and
    the checkpoint's seal; `verify_chain` walks the whole chain."""
    if head.count < checkpoint.count:
        return (
            f"the chain head records {head.count} events, but {checkpoint} recorded {checkpoint.count} "
            f"ending in event #{checkpoint.event_id}: the chain was rewound."
        )
    if checkpoint.event_id is None:
        return ""
    sealed = AuditSeal.objects.filter(event_id=checkpoint.event_id).values_list("hash", flat=True).first()
    if sealed != checkpoint.hash:
        return (
            f"the seal of event #{checkpoint.event_id} is not the one {checkpoint} recorded "
            f"(hash {checkpoint.hash}): the chain was rewritten."
        )
    return ""


_last_seal_attempt = 0.0


def _seal_after_commit() -> None:
    """Seal after a commit, at most once per AUDIT_SEAL_INTERVAL in each process: under load one
    sealing run takes the events of many requests. What a quiet moment leaves waiting is sealed by
    the next event, by `manage.py seal_audit` (run it every minute) or before `verify_audit`."""
    global _last_seal_attempt
    now = time.monotonic()
    if now - _last_seal_attempt < settings.AUDIT_SEAL_INTERVAL:
        return
    _last_seal_attempt = now
    seal_pending()


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


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    reason: str
    in_checkpoints: bool = False  # the checkpoint file, not the chain, is what was changed

    def __str__(self) -> str:
        if self.in_checkpoints:
            return f"Audit checkpoints cannot be trusted: {self.reason}"
        where = f"event #{self.event_id}" if self.event_id is not None else "the end of the chain"
        return f"Audit chain broken at {where}: {self.reason}"


@dataclass(frozen=True)
class Verification:
    checked: int
    first_break: ChainBreak | None
    waiting: int = 0  # committed events not yet sealed (only when verifying without sealing first)
    checkpoint: Checkpoint | None = None  # the newest checkpoint the chain was compared with

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(*, seal_first: bool = True, checkpoint_file: Path | None = None) -> Verification:
    """Walk the seals in order and name the first event whose contents or link do not match.

    The newest checkpoint (`settings.AUDIT_CHECKPOINT_FILE` unless another file is given, such as the
    copy shipped elsewhere) is read first: the chain must hold at least as many events as it recorded,
    the one at that position being the event and hash it names. Reading it before the head means a
    checkpoint written while the check runs is not taken for events gone missing.

    Waiting events are sealed next, so that the verdict covers everything committed before the
    check. The head is read then and the walk stops at the seal it names: events sealed while the
    check runs belong to a later check. Finally, every event must be sealed or waiting for its seal:
    one that is neither was put in the table around `record` (or refused by the sealer for a hash not
    made with the anchor key).
    """
    try:
        recorded = checkpoints.read(checkpoint_file or settings.AUDIT_CHECKPOINT_FILE)
    except CheckpointFileError as error:
        return Verification(0, ChainBreak(None, str(error), in_checkpoints=True))
    checkpoint = recorded[-1] if recorded else None
    if seal_first:
        seal_pending(wait=True, max_batches=None)
    head = ChainHead.objects.filter(pk=1).first()
    seals = AuditSeal.objects.order_by("id")
    if head is not None and head.last_event_id is not None:
        newest = AuditSeal.objects.filter(event_id=head.last_event_id).values_list("id", flat=True).first()
        seals = seals.filter(id__lte=newest) if newest is not None else seals.none()
    previous_hash, previous_event, checked = GENESIS_HASH, None, 0
    keyed_seen = False
    up_to_checkpoint: int | None = None  # the newest event in the chain no newer than the checkpoint's
    chunk: list[AuditSeal] = []

    def walk(chunk: list[AuditSeal]) -> ChainBreak | None:
        nonlocal previous_hash, previous_event, checked, keyed_seen, up_to_checkpoint
        events = AuditEvent.objects.in_bulk([seal.event_id for seal in chunk])
        for seal in chunk:
            event = events.get(seal.event_id)
            if event is None:
                return ChainBreak(seal.event_id, "the event was removed; its seal remains.")
            if seal.prev_hash != previous_hash:
                after = f"event #{previous_event}" if previous_event is not None else "the start of the chain"
                return ChainBreak(
                    event.pk, f"it does not follow {after}; an event between them was removed or changed."
                )
            if event.has_keyed_hash():
                keyed_seen = True
            elif event.hash != event.compute_unkeyed_hash():
                return ChainBreak(event.pk, "its contents were changed after it was written.")
            elif keyed_seen:
                # A plain SHA-256 is what events written before the anchor key carry: only at the start.
                return ChainBreak(
                    event.pk,
                    "its hash was not made with the anchor key: it was written or rewritten behind the "
                    "application's back.",
                )
            if AuditSeal.link(previous_hash, event.hash) != seal.hash:
                return ChainBreak(event.pk, "its seal was changed after it was written.")
            previous_hash, previous_event, checked = seal.hash, event.pk, checked + 1
            if checkpoint and checkpoint.event_id is not None and event.pk <= checkpoint.event_id:
                up_to_checkpoint = event.pk
            if (
                checkpoint
                and checked == checkpoint.count
                and (previous_event, previous_hash)
                != (
                    checkpoint.event_id,
                    checkpoint.hash,
                )
            ):
                return ChainBreak(
                    event.pk,
                    f"the chain was rewritten: {checkpoint} recorded event #{checkpoint.event_id} with hash "
                    f"{checkpoint.hash} as number {checkpoint.count}; the chain has event #{event.pk} with "
                    f"hash {previous_hash} there.",
                )
        return None

    for seal in seals.iterator(chunk_size=2000):
        chunk.append(seal)
        if len(chunk) == 2000:
            if found := walk(chunk):
                return Verification(checked, found, checkpoint=checkpoint)
            chunk = []
    if chunk and (found := walk(chunk)):
        return Verification(checked, found, checkpoint=checkpoint)
    if checkpoint and checked < checkpoint.count:
        return Verification(
            checked, _missing(checkpoint, checked, up_to_checkpoint, previous_event), checkpoint=checkpoint
        )
    if head is None:
        if checked or AuditEvent.objects.exists():
            return Verification(checked, ChainBreak(None, "the chain head record is missing."))
        return Verification(checked, None)
    if head.last_hash != previous_hash or head.count != checked:
        return Verification(
            checked,
            ChainBreak(
                head.last_event_id,
                f"the chain head names event #{head.last_event_id} as newest ({head.count} events) but "
                f"{checked} sealed events end at #{previous_event}; events were removed.",
            ),
        )
    # NOT EXISTS, which PostgreSQL runs as an anti-join: NOT IN over millions of ids does not fit in
    # memory as a hash and degrades to comparing every pair.
    unlinked = (
        AuditEvent.objects.filter(
            ~Exists(AuditSeal.objects.filter(event_id=OuterRef("id"))),
            ~Exists(PendingSeal.objects.filter(event_id=OuterRef("id"))),
        )
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if unlinked is not None:
        return Verification(
            checked, ChainBreak(unlinked, "it is not in the chain: it was added without being recorded.")
        )
    return Verification(checked, None, waiting=PendingSeal.objects.count(), checkpoint=checkpoint)


def _missing(checkpoint: Checkpoint, checked: int, kept: int | None, newest: int | None) -> ChainBreak:
    """The chain holds fewer events than `checkpoint` recorded: its tail was removed (`kept` is the
    newest event left from before the checkpoint), perhaps with newer events sealed since."""
    missing = checkpoint.count - checked
    after = f"event #{kept}" if kept is not None else "the start of the chain"
    recorded = (
        f"{checkpoint} recorded {checkpoint.count} events ending in event #{checkpoint.event_id}, "
        f"hash {checkpoint.hash}."
    )
    if newest == kept:
        what = "the last event after" if missing == 1 else f"the last {missing} events after"
        return ChainBreak(None, f"{what} {after} {'is' if missing == 1 else 'are'} missing: {recorded}")
    return ChainBreak(
        None,
        f"the events after {after} up to event #{checkpoint.event_id} are missing, newer events "
        f"up to event #{newest} following them ({checked} events in all): {recorded}",
    )
