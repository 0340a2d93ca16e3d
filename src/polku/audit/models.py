"""Audit events: append-only rows, each with the keyed hash of its own contents, linked into a hash chain by
seals (`AuditSeal`) that a sealer appends in batches after the events commit (see README.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polku.audit import anchor

GENESIS_HASH = "0" * 64


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit records cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit records cannot be deleted.")


class AppendOnlyModel(models.Model):
    """Rows written once: saving one that is already stored is refused (its queryset refuses updates
    and deletes)."""

    changed_message = "Audit records cannot be changed."

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError(self.changed_message)
        super().save(*args, **kwargs)


class AuditEvent(AppendOnlyModel):
    """Who did what, when, to which object and which client's data, and why."""

    changed_message = "Audit events cannot be changed."

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_label = models.CharField(_("user"), max_length=254, blank=True)
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    # Searched by client together with time: the `audit_client_at` index serves both.
    client_id = models.UUIDField(_("client"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # Why the access was allowed (`basis.py`): team membership, consent, break-the-glass, ...
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    # Events written before seals existed carry their chain link here; newer events leave it empty.
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["id"]
        # Each index is paid by every page view: only those something searches by.
        indexes = [
            models.Index(fields=["client_id", "at"], name="audit_client_at"),
            models.Index(fields=["action"], name="audit_action"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M:%S} {self.action}"

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def canonical(self) -> bytes:
        """The bytes the hash covers: every stored field but the hash itself, in a fixed form (the basis
        only when there is one, so that events from before it verify as they were sealed)."""
        content = {
            "prev": self.prev_hash,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "membership": self.membership_id,
            "organisation": self.organisation_id,
            "role": self.role,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "client": str(self.client_id) if self.client_id else None,
            "reason": self.reason,
            "request_id": self.request_id,
            "ip": self.ip,
            "details": self.details,
        }
        # Events written before the basis existed have none and keep the hash they were sealed with;
        # every newer event has one, and the hash covers it.
        if self.basis:
            content["basis"] = self.basis
        return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        """The hash `record` stores: HMAC-SHA256 of the contents with the anchor key, which the database
        does not hold, so an event written around `record` cannot carry a hash that verifies."""
        return anchor.sign(self.canonical())

    def compute_unkeyed_hash(self) -> str:
        """The plain SHA-256 that events written before the anchor key carry; `verify_chain` accepts it
        only at the start of the chain, before the first keyed event."""
        return hashlib.sha256(self.canonical()).hexdigest()

    def has_keyed_hash(self) -> bool:
        return hmac.compare_digest(self.hash, self.compute_hash())


class AuditSeal(AppendOnlyModel):
    """An event's place in the hash chain: `hash` covers the previous seal's hash and the event's own
    hash. Seals are appended in id order by one sealer at a time (`services.seal_pending`)."""

    changed_message = "Audit seals cannot be changed."

    # No foreign key: an event removed behind the application's back leaves its seal to say so.
    event_id = models.BigIntegerField(unique=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"seal #{self.pk} of event #{self.event_id}"

    @staticmethod
    def link(prev_hash: str, event_hash: str) -> str:
        return hashlib.sha256(f"{prev_hash}{event_hash}".encode()).hexdigest()


class ListedClient(AppendOnlyModel):
    """A client shown on a list page (a caseload, incoming referrals, hosted placements) by the page's one
    audit event, so that the client's access report finds list views too. The ids are also in the
    event's `details`, which its hash covers; these rows only index them."""

    # No foreign key, as for seals: the rows are written in the event's own statement.
    event_id = models.BigIntegerField()
    client_id = models.UUIDField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["client_id", "event_id"], name="audit_listed_client")]

    def __str__(self) -> str:
        return f"client {self.client_id} listed by event #{self.event_id}"


class PendingSeal(models.Model):
    """An event committed but not yet sealed. Written in the event's own transaction, so a rolled-back
    event leaves nothing here; the sealer takes these in id order and deletes them as it seals."""

    event_id = models.BigIntegerField(primary_key=True)
    hash = models.CharField(max_length=64)  # the event's, so that sealing need not read the events

    def __str__(self) -> str:
        return f"event #{self.event_id} waiting for its seal"


class ChainHead(models.Model):
    """The newest seal of the chain: comparing it with the stored seals shows whether seals were
    removed from the end. Only the sealer writes it, so no page view waits for it."""

    last_event_id = models.BigIntegerField(null=True)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_event_id} ({self.count})"
