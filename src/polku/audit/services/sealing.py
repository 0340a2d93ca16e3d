"""Sealing recorded events into the hash chain, one sealer at a time, and writing checkpoints of the
chain head outside the database."""

from __future__ import annotations

import logging
import time
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from polku.audit import checkpoints
from polku.audit.checkpoints import Checkpoint
from polku.audit.models import AuditEvent, AuditSeal, ChainHead, PendingSeal

logger = logging.getLogger("polku.audit")


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


class SealThrottle:
    """At most one sealing run per AUDIT_SEAL_INTERVAL in this process. One instance serves the process
    (`seal_throttle`); `reset` makes the next commit seal at once, for a test or after sealing by hand."""

    def __init__(self) -> None:
        self.last_run: float | None = None

    def due(self) -> bool:
        """Whether a run may start now; if so, counts it as started."""
        now = time.monotonic()
        if self.last_run is not None and now - self.last_run < settings.AUDIT_SEAL_INTERVAL:
            return False
        self.last_run = now
        return True

    def reset(self) -> None:
        self.last_run = None


seal_throttle = SealThrottle()


def seal_after_commit() -> None:
    """Seal after a commit, at most once per AUDIT_SEAL_INTERVAL in each process: under load one
    sealing run takes the events of many requests. What a quiet moment leaves waiting is sealed by
    the next event, by `manage.py seal_audit` (run it every minute) or before `verify_audit`."""
    if seal_throttle.due():
        seal_pending()
