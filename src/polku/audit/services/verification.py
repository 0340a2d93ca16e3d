"""Verifying the chain: every hash recomputed, every seal in order, and the chain compared with the
newest checkpoint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef

from polku.audit import checkpoints
from polku.audit.checkpoints import Checkpoint, CheckpointFileError
from polku.audit.models import GENESIS_HASH, AuditEvent, AuditSeal, ChainHead, PendingSeal
from polku.audit.services.sealing import seal_pending


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
