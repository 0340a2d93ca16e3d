"""Writing and verifying the audit chain."""

from __future__ import annotations

import ipaddress
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from polku.audit.context import current
from polku.audit.models import GENESIS_HASH, AuditEvent, ChainHead
from polku.audit.redaction import mask_identity_codes, mask_value

if TYPE_CHECKING:
    from polku.accounts.models import Membership, User


def _describe(obj: Any) -> tuple[str, str]:
    """Object type and public id; the public id (a UUID) is used wherever an object has one."""
    if obj is None:
        return "", ""
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


def record(
    actor: Membership | User | None,
    action: str,
    obj: Any = None,
    *,
    client: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. `actor` is the acting membership (preferred) or a user (before one is chosen,
    for example at login). Identity codes are masked from every text field before anything is stored.
    """
    from polku.accounts.models import Membership, User

    membership = actor if isinstance(actor, Membership) else None
    user: User | None = membership.user if membership else actor if isinstance(actor, User) else None
    if user is not None and not user.pk:
        user = None
    object_type, object_id = _describe(obj)
    request = current.get()
    event = AuditEvent(
        actor=user,
        actor_label=user.email if user else "",
        membership=membership,
        organisation=membership.unit.organisation if membership else None,
        role=membership.role if membership else "",
        action=action,
        object_type=object_type,
        object_id=mask_identity_codes(object_id),
        client_id=_client_id(client),
        reason=mask_identity_codes(reason),
        request_id=request.request_id if request else "",
        ip=_normalised_ip(request.ip) if request else None,
        details=_as_stored(mask_value(details or {})),
    )
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event.at = timezone.now()  # taken under the lock, so time order follows chain order
        event.prev_hash = head.last_hash
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_event_id, head.last_hash, head.count = event.pk, event.hash, head.count + 1
        head.save(update_fields=["last_event_id", "last_hash", "count"])
    return event


PENDING_ATTRIBUTE = "polku_pending_audit"


def in_open_transaction() -> bool:
    """Whether a transaction that may still roll back is open (a test case's own wrapper aside)."""
    connection = transaction.get_connection()
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def record_despite_rollback(
    error: BaseException, actor: Membership | User | None, action: str, obj: Any = None, **kwargs: Any
) -> None:
    """Record an event that must outlive the rollback `error` is about to cause (a refusal raised inside
    a service's transaction). Inside a transaction the event rides on the exception and
    `RequestContextMiddleware` writes it once the transaction has unwound; otherwise it is written now.
    """
    if in_open_transaction():
        setattr(error, PENDING_ATTRIBUTE, {"actor": actor, "action": action, "obj": obj, **kwargs})
    else:
        record(actor, action, obj, **kwargs)


def record_pending(error: BaseException) -> AuditEvent | None:
    pending = getattr(error, PENDING_ATTRIBUTE, None)
    if not pending:
        return None
    delattr(error, PENDING_ATTRIBUTE)
    return record(pending.pop("actor"), pending.pop("action"), pending.pop("obj"), **pending)


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.event_id}" if self.event_id is not None else "the end of the chain"
        return f"Audit chain broken at {where}: {self.reason}"


@dataclass(frozen=True)
class Verification:
    checked: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain() -> Verification:
    """Walk every event in order; name the first one whose contents or link do not match.

    The head is read first and the walk stops at the event it names: events written while the check
    runs belong to a later check, not to this one's verdict.
    """
    head = ChainHead.objects.filter(pk=1).first()
    events = AuditEvent.objects.order_by("id")
    if head is not None and head.last_event_id is not None:
        events = events.filter(id__lte=head.last_event_id)
    previous_hash, previous_id, checked = GENESIS_HASH, None, 0
    for event in events.iterator(chunk_size=2000):
        if event.prev_hash != previous_hash:
            after = f"event #{previous_id}" if previous_id is not None else "the start of the chain"
            return Verification(
                checked,
                ChainBreak(
                    event.pk, f"it does not follow {after}; an event between them was removed or changed."
                ),
            )
        if event.compute_hash() != event.hash:
            return Verification(
                checked, ChainBreak(event.pk, "its contents were changed after it was written.")
            )
        previous_hash, previous_id, checked = event.hash, event.pk, checked + 1
    if head is None:
        if checked:
            return Verification(checked, ChainBreak(None, "the chain head record is missing."))
        return Verification(checked, None)
    if head.last_hash != previous_hash or head.last_event_id != previous_id or head.count != checked:
        return Verification(
            checked,
            ChainBreak(
                head.last_event_id,
                f"the chain head names event #{head.last_event_id} as newest ({head.count} events) but "
                f"{checked} events end at #{previous_id}; events were removed.",
            ),
        )
    return Verification(checked, None)
