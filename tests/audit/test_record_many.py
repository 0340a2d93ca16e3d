"""`record_many`: events written in bulk are the events `record` writes, linked by the normal sealer."""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command

from polku import audit
from polku.audit.context import RequestContext
from polku.audit.models import AuditEvent, PendingSeal
from polku.audit.services import new_event, record_many, seal_pending, verify_chain

# Synthetic: individual numbers 900-999 are never given to real people.
IDENTITY_CODE = "010190-900P"


def stored(event: AuditEvent) -> tuple:
    return (
        event.actor_id,
        event.actor_label,
        event.membership_id,
        event.organisation_id,
        event.role,
        event.action,
        event.object_type,
        event.object_id,
        event.client_id,
        event.reason,
        event.details,
    )


def test_bulk_events_are_stored_as_record_stores_them_and_join_the_chain(worker):
    client_id = uuid.uuid4()
    one = audit.record(worker, "case.open", worker.unit, client=client_id, details={"source": "kela"})
    many = [
        new_event(worker, "case.open", worker.unit, client=client_id, details={"source": "kela"})
        for _ in range(3)
    ]
    assert record_many(iter(many)) == 3
    assert PendingSeal.objects.filter(event_id__in=[event.pk for event in many]).count() == 3
    seal_pending(wait=True, max_batches=None)

    rows = list(AuditEvent.objects.filter(pk__in=[one.pk, *(event.pk for event in many)]).order_by("id"))
    assert [row.pk for row in rows] == sorted([one.pk, *(event.pk for event in many)])
    assert all(stored(row) == stored(one) for row in rows)
    assert all(row.compute_hash() == row.hash for row in rows)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit chain intact: 4 events verified." in out.getvalue()


def test_a_bulk_event_names_an_object_by_its_type_and_public_id_and_masks_identity_codes(worker):
    request = RequestContext(request_id="r1", ip="192.0.2.7")
    event = new_event(
        worker, "client.view", ("clients.client", "abc"), reason=f"asked {IDENTITY_CODE}", request=request
    )
    record_many([event])
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.object_type, row.object_id, row.request_id, row.ip) == (
        "clients.client",
        "abc",
        "r1",
        "192.0.2.7",
    )
    assert IDENTITY_CODE not in row.reason
    assert verify_chain().ok


def test_a_saved_or_unhashed_event_is_refused(worker):
    saved = audit.record(worker, "test.saved")
    with pytest.raises(ValueError, match="new_event"):
        record_many([saved])
    with pytest.raises(ValueError, match="new_event"):
        record_many([AuditEvent(action="test.unhashed")])
    assert AuditEvent.objects.count() == 1
