"""Every audit event records why the access was allowed (`audit.basis`), inside its hash."""

import uuid

from django.db import connection

from polku import audit
from polku.audit import basis
from polku.audit.models import AuditEvent
from polku.audit.services import new_event, record_many, verify_chain

IDENTITY_CODE = "010190-900P"  # synthetic: individual numbers 900-999 are never given to real people


def test_an_explicit_basis_is_stored_with_the_event(worker):
    case = uuid.uuid4()

    event = audit.record(worker, "case.open", worker.unit, basis=basis.team(case, worker.role))

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.basis == {"kind": "team", "case": str(case), "role": worker.role}


def test_without_a_basis_the_event_names_the_rule_of_its_action(worker):
    event = audit.record(worker, "caseload.view", listed=[])

    assert AuditEvent.objects.get(pk=event.pk).basis == {"kind": "rule", "rule": "caseload.view"}


def test_identity_codes_are_masked_from_the_basis_too(worker):
    event = audit.record(worker, "client.view", basis=basis.break_glass(f"Asiakas {IDENTITY_CODE} soitti"))

    assert IDENTITY_CODE not in str(AuditEvent.objects.get(pk=event.pk).basis)


def test_the_hash_covers_the_basis(worker):
    event = audit.record(worker, "client.view", basis=basis.break_glass("Asiakas soitti päivystykseen."))
    assert verify_chain().ok

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET basis = %s WHERE id = %s",
            ['{"kind": "team", "case": "x", "role": "personal_worker"}', event.pk],
        )

    found = verify_chain()
    assert not found.ok
    assert found.first_break.event_id == event.pk


def test_events_written_before_the_basis_existed_keep_their_hash_and_verify(worker):
    old = new_event(worker, "client.view")
    old.basis = {}  # what migration 0004 gives every earlier event
    old.hash = old.compute_hash()
    record_many([old])
    audit.record(worker, "client.view")

    assert AuditEvent.objects.get(pk=old.pk).basis == {}
    assert b"basis" not in AuditEvent.objects.get(pk=old.pk).canonical()
    assert verify_chain().ok


def test_bulk_events_carry_their_basis(worker):
    case = uuid.uuid4()
    events = [new_event(worker, "contact.record", basis=basis.team(case, worker.role)) for _ in range(2)]

    record_many(events)

    assert [row.basis["case"] for row in AuditEvent.objects.filter(pk__in=[e.pk for e in events])] == [
        str(case)
    ] * 2
    assert verify_chain().ok
