"""Many writers at once: no event waits for another's seal, and the chain they make verifies."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from polku import audit
from polku.audit.models import AppendOnlyError, AuditEvent, AuditSeal, PendingSeal
from polku.audit.services import seal_pending, seal_throttle, verify_chain

WRITERS = 6
EVENTS_EACH = 20


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_chain_that_verifies():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time")
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EVENTS_EACH):
                with transaction.atomic():  # sealed after each commit, by whichever writer gets there
                    audit.record(None, f"test.writer{n}.{i}")
                if i % 5 == 0:
                    try:
                        with transaction.atomic():
                            audit.record(None, f"test.rolled_back{n}.{i}")
                            raise RuntimeError
                    except RuntimeError:
                        pass
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert AuditEvent.objects.count() == WRITERS * EVENTS_EACH
    seal_pending(wait=True, max_batches=None)  # a commit that came after the last sealer's final look
    result = verify_chain(seal_first=False)
    assert result.ok, result.first_break
    assert (result.checked, result.waiting) == (WRITERS * EVENTS_EACH, 0)
    assert not PendingSeal.objects.exists()


def test_seals_cannot_be_changed_or_deleted(db):
    audit.record(None, "test.sealed")
    seal_pending()
    seal = AuditSeal.objects.get()
    with pytest.raises(AppendOnlyError):
        seal.save()
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().update(hash="0" * 64)
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().delete()


def test_one_process_seals_at_most_once_per_interval(db, settings, django_capture_on_commit_callbacks):
    settings.AUDIT_SEAL_INTERVAL = 60
    seal_throttle.reset()
    with django_capture_on_commit_callbacks(execute=True):
        first = audit.record(None, "test.first")
    with django_capture_on_commit_callbacks(execute=True):
        second = audit.record(None, "test.second")  # within the interval: waits for the next run
    assert AuditSeal.objects.filter(event_id=first.pk).exists()
    assert PendingSeal.objects.filter(event_id=second.pk).exists()

    call_command("seal_audit", stdout=StringIO())
    assert AuditSeal.objects.filter(event_id=second.pk).exists()
    assert not PendingSeal.objects.exists()
    assert verify_chain(seal_first=False).ok
