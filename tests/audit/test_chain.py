"""The audit log: append-only events linked by seals into a SHA-256 hash chain that shows any change
made behind its back."""

import itertools
import uuid
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from stdnum.fi import hetu

from polku import audit
from polku.audit.models import (
    GENESIS_HASH,
    AppendOnlyError,
    AuditEvent,
    AuditSeal,
    ChainHead,
    ListedClient,
    PendingSeal,
)
from polku.audit.redaction import MASK
from polku.audit.services import seal_pending, verify_chain
from tests.conftest import client_as
from tests.queries import AUDIT_EVENT

# Synthetic personal identity codes: individual numbers 900-999 are never given to real people.
IDENTITY_CODE = "010190-900P"
IDENTITY_CODE_NEW_CENTURY_SIGN = "010101Y901S"
IDENTITY_CODE_2000S = "150305A912T"


@pytest.fixture
def events(worker) -> list[AuditEvent]:
    """Four events, sealed as they are once their transaction commits (a test case never commits)."""
    written = [
        audit.record(worker, "test.first", worker.unit, reason="first"),
        audit.record(worker.user, "test.second", details={"n": 2}),
        audit.record(None, "test.third"),
        audit.record(worker, "test.fourth", worker),
    ]
    assert seal_pending() == 4
    return written


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_synthetic_identity_codes_are_valid():
    for code in (IDENTITY_CODE, IDENTITY_CODE_NEW_CENTURY_SIGN, IDENTITY_CODE_2000S):
        assert hetu.is_valid(code, allow_temporary=True), code


def test_each_seal_links_its_event_to_the_seal_before(events):
    stored = list(AuditEvent.objects.order_by("id"))
    assert [event.action for event in stored] == ["test.first", "test.second", "test.third", "test.fourth"]
    seals = list(AuditSeal.objects.order_by("id"))
    assert [seal.event_id for seal in seals] == [event.pk for event in stored]
    assert seals[0].prev_hash == GENESIS_HASH
    for previous, seal in itertools.pairwise(seals):
        assert seal.prev_hash == previous.hash
    for event, seal in zip(stored, seals, strict=True):
        assert event.hash == event.compute_hash()
        assert seal.hash == AuditSeal.link(seal.prev_hash, event.hash)
    assert not PendingSeal.objects.exists()


def test_the_chain_head_names_the_newest_event(events):
    head = ChainHead.objects.get(pk=1)
    assert head.last_event_id == events[-1].pk
    assert head.last_hash == AuditSeal.objects.get(event_id=events[-1].pk).hash
    assert head.count == 4


def test_an_event_waits_for_its_seal_until_its_transaction_commits(
    worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = audit.record(worker, "test.committed")
        assert PendingSeal.objects.filter(event_id=event.pk).exists()
        assert not AuditSeal.objects.filter(event_id=event.pk).exists()
    assert AuditSeal.objects.filter(event_id=event.pk).exists()
    assert not PendingSeal.objects.exists()


def test_a_rolled_back_event_leaves_nothing_to_seal(worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(worker, "test.rolled_back")
        raise RuntimeError("the write failed")
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    assert not PendingSeal.objects.exists()
    assert verify_chain().ok


def test_verifying_without_sealing_counts_the_waiting_events(events):
    audit.record(None, "test.waiting")
    result = verify_chain(seal_first=False)
    assert result.ok
    assert (result.checked, result.waiting) == (4, 1)
    assert verify_chain().checked == 5


def test_an_event_stores_who_acted_in_which_role_and_on_what(worker, events):
    first = AuditEvent.objects.get(action="test.first")
    assert first.actor == worker.user
    assert first.actor_label == worker.user.email
    assert first.membership == worker
    assert first.organisation == worker.unit.organisation
    assert first.role == worker.role
    assert first.object_type == "accounts.unit"
    assert first.object_id == str(worker.unit.public_id)
    assert first.reason == "first"


def test_an_intact_chain_verifies(events):
    result = verify_chain()
    assert result.ok
    assert result.checked == 4


def test_an_empty_chain_verifies(db):
    assert verify_chain().ok
    assert "0 events verified" in verify()


def test_the_verify_audit_command_reports_an_intact_chain(events):
    assert "Audit chain intact: 4 events verified." in verify()


def test_a_reason_changed_with_raw_sql_is_named_by_event(events):
    changed = events[1]
    raw_sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing to see", changed.pk])
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"event #{changed.pk}" in str(failure.value)
    assert "changed" in str(failure.value)
    assert verify_chain().first_break.event_id == changed.pk


def test_details_changed_with_raw_sql_are_found(events):
    raw_sql("UPDATE audit_auditevent SET details = %s WHERE id = %s", ['{"n": 3}', events[1].pk])
    with pytest.raises(CommandError, match=f"event #{events[1].pk}\\b"):
        verify()


def test_a_rehashed_event_no_longer_matches_its_seal(events):
    """Someone who changes an event and recomputes its own hash still contradicts its seal."""
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.reason = "rewritten"
    raw_sql(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
        ["rewritten", target.compute_hash(), target.pk],
    )
    with pytest.raises(CommandError, match=f"Audit chain broken at event #{events[1].pk}: its seal"):
        verify()


def test_a_rehashed_event_with_a_new_seal_breaks_the_link_to_the_next_one(events):
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.reason = "rewritten"
    new_hash = target.compute_hash()
    raw_sql(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s", ["rewritten", new_hash, target.pk]
    )
    seal = AuditSeal.objects.get(event_id=target.pk)
    raw_sql(
        "UPDATE audit_auditseal SET hash = %s WHERE id = %s",
        [AuditSeal.link(seal.prev_hash, new_hash), seal.pk],
    )
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"Audit chain broken at event #{events[2].pk}: it does not follow event #{events[1].pk}" in str(
        failure.value
    )


def test_a_middle_event_deleted_with_raw_sql_is_found(events):
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"Audit chain broken at event #{events[1].pk}: the event was removed" in str(failure.value)


def test_a_middle_event_deleted_with_its_seal_is_found(events):
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    raw_sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[1].pk])
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"Audit chain broken at event #{events[2].pk}:" in message
    assert f"does not follow event #{events[0].pk}" in message


def test_the_first_event_deleted_with_its_seal_is_found(events):
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    raw_sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[0].pk])
    with pytest.raises(CommandError, match=f"Audit chain broken at event #{events[1].pk}:"):
        verify()


def test_the_newest_event_deleted_with_its_seal_is_found(events):
    newest = events[-1]
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [newest.pk])
    raw_sql("DELETE FROM audit_auditseal WHERE event_id = %s", [newest.pk])
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert f"event #{newest.pk}" in message
    assert "removed" in message


def test_all_events_and_seals_deleted_with_raw_sql_are_found(events):
    raw_sql("DELETE FROM audit_auditevent", [])
    raw_sql("DELETE FROM audit_auditseal", [])
    with pytest.raises(CommandError, match=f"event #{events[-1].pk}"):
        verify()


def test_an_event_added_with_raw_sql_is_found(events):
    forged = AuditEvent(action="test.forged")
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)  # in the table, but never through audit.record: no seal, no queue
    with pytest.raises(CommandError, match=f"event #{forged.pk}: it is not in the chain"):
        verify()


def test_new_events_after_a_break_do_not_hide_it(events):
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    raw_sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[-1].pk])
    audit.record(None, "test.after")
    with pytest.raises(CommandError):
        verify()


def test_saving_an_existing_event_again_is_refused(events):
    event = AuditEvent.objects.get(pk=events[0].pk)
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == "first"


def test_deleting_an_event_is_refused(events):
    with pytest.raises(AppendOnlyError):
        events[0].delete()
    assert AuditEvent.objects.count() == 4


def test_updating_events_through_a_queryset_is_refused(events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=events[0].pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="changed")
    assert AuditEvent.objects.get(pk=events[0].pk).reason == "first"


def test_deleting_events_through_a_queryset_is_refused(events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=events[0].pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 4
    assert verify_chain().ok


@pytest.mark.parametrize("code", [IDENTITY_CODE, IDENTITY_CODE_NEW_CENTURY_SIGN, IDENTITY_CODE_2000S])
def test_identity_codes_are_stored_masked_in_reason_details_and_object(worker, code):
    event = audit.record(
        worker,
        "test.identity",
        Session(session_key=code),  # any object whose id happens to be an identity code
        reason=f"Asiakas {code} soitti",
        details={"note": f"hetu {code}", "codes": [code, "ok"], "nested": {"code": code}},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == f"Asiakas {MASK} soitti"
    assert stored.details == {"note": f"hetu {MASK}", "codes": [MASK, "ok"], "nested": {"code": MASK}}
    assert stored.object_id == MASK
    assert code not in stored.reason + str(stored.details) + stored.object_id
    assert code.lower() not in str(stored.details).lower()
    assert verify_chain().ok


def test_a_lower_case_identity_code_is_masked_too(worker):
    event = audit.record(worker, "test.identity", reason=f"hetu {IDENTITY_CODE.lower()}")
    assert AuditEvent.objects.get(pk=event.pk).reason == f"hetu {MASK}"


def test_an_event_written_during_a_request_carries_its_request_id_and_address(worker):
    response = client_as(worker).get("/admin/", REMOTE_ADDR="203.0.113.7")  # refused, so audited
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.request_id
    assert event.request_id == response["X-Request-ID"]
    assert event.ip == "203.0.113.7"


def test_a_request_id_from_the_proxy_is_kept(worker):
    response = client_as(worker).get(
        "/admin/", HTTP_X_REQUEST_ID="proxy-req-0001", REMOTE_ADDR="198.51.100.20"
    )
    assert response["X-Request-ID"] == "proxy-req-0001"
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.request_id == "proxy-req-0001"
    assert event.ip == "198.51.100.20"


def test_a_request_id_with_free_text_is_replaced(worker):
    response = client_as(worker).get("/admin/", HTTP_X_REQUEST_ID=f"hetu {IDENTITY_CODE}")
    assert IDENTITY_CODE not in response["X-Request-ID"]
    event = AuditEvent.objects.get(action="permission.refused")
    assert event.request_id == response["X-Request-ID"]
    assert IDENTITY_CODE not in event.request_id


def test_each_request_gets_its_own_request_id(worker):
    client = client_as(worker)
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert first != second


def test_an_event_written_outside_a_request_has_no_request_id(db):
    event = audit.record(None, "test.batch")
    assert event.request_id == ""
    assert event.ip is None


def test_an_event_is_written_with_its_place_in_the_sealing_queue_in_the_fewest_queries(
    worker, django_assert_num_queries
):
    with django_assert_num_queries(AUDIT_EVENT):
        event = audit.record(worker, "test.one", worker.unit, reason="why", details={"share": 1.5})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.reason, stored.membership_id) == ("test.one", "why", worker.pk)
    assert stored.compute_hash() == event.hash == PendingSeal.objects.get(event_id=event.pk).hash
    assert event.pk is not None
    seal_pending()
    assert verify_chain().ok


def test_a_list_view_event_indexes_the_clients_it_showed_in_the_same_statement(
    worker, django_assert_num_queries
):
    shown = [uuid.uuid4(), uuid.uuid4()]
    with django_assert_num_queries(AUDIT_EVENT + (0 if connection.vendor == "postgresql" else 1)):
        event = audit.record(worker, "caseload.view", listed=shown, details={"page": 1})
    assert AuditEvent.objects.get(pk=event.pk).details == {"page": 1, "clients": [str(u) for u in shown]}
    assert sorted(
        ListedClient.objects.filter(event_id=event.pk).values_list("client_id", flat=True)
    ) == sorted(shown)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(worker, "caseload.view", listed=[uuid.uuid4()])
        raise RuntimeError("the page failed")
    assert ListedClient.objects.count() == 2
    row = ListedClient.objects.first()
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        ListedClient.objects.all().delete()
    seal_pending()
    assert verify_chain().ok
