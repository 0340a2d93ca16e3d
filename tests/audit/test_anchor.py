"""The chain's anchor outside the database: signed checkpoints of the head catch a removed tail, and
keyed event hashes keep the sealer from taking events written around `record`."""

import hashlib
import hmac
import json
import logging
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from polku import audit
from polku.audit.checkpoints import Checkpoint
from polku.audit.models import AuditEvent, AuditSeal, ChainHead, PendingSeal
from polku.audit.services import ChainRewound, checkpoint_write, seal_pending, verify_chain


@pytest.fixture
def events(db) -> list[AuditEvent]:
    written = [audit.record(None, f"test.event{n}") for n in range(5)]
    assert seal_pending() == 5
    return written


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def remove_the_tail_and_rewind_the_head(events: list[AuditEvent], keep: int) -> None:
    """What a tester with database write access did: delete the newest events with their seals and
    point the head at the last one left, so that the chain agrees with itself."""
    for event in events[keep:]:
        raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        raw_sql("DELETE FROM audit_auditseal WHERE event_id = %s", [event.pk])
    last = AuditSeal.objects.get(event_id=events[keep - 1].pk)
    raw_sql(
        "UPDATE audit_chainhead SET last_event_id = %s, last_hash = %s, count = %s WHERE id = 1",
        [last.event_id, last.hash, keep],
    )


def without_the_key(event: AuditEvent) -> str:
    """The hash someone who can write to the database but lacks the anchor key can make."""
    return hashlib.sha256(event.canonical()).hexdigest()


def forge(action: str, make_hash=without_the_key) -> AuditEvent:
    forged = AuditEvent(action=action, reason="nothing happened")
    forged.hash = make_hash(forged)
    forged.save(force_insert=True)
    PendingSeal.objects.create(event_id=forged.pk, hash=forged.hash)
    return forged


def test_seal_audit_writes_a_signed_checkpoint_of_the_head_to_the_file_and_the_log(events, caplog):
    with caplog.at_level(logging.INFO, logger="polku.audit.checkpoint"):
        call_command("seal_audit", stdout=StringIO())
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert len(lines) == 1
    written = json.loads(lines[0])
    head = ChainHead.objects.get(pk=1)
    assert (written["count"], written["event_id"], written["hash"]) == (5, events[-1].pk, head.last_hash)
    assert written["signature"]
    assert lines[0] in caplog.text


def test_the_checkpoint_file_only_grows(events):
    call_command("seal_audit", stdout=StringIO())
    audit.record(None, "test.later")
    call_command("seal_audit", stdout=StringIO())
    counts = [json.loads(line)["count"] for line in settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()]
    assert counts == [5, 6]


def test_a_chain_that_holds_what_the_checkpoint_recorded_verifies(events):
    checkpoint = checkpoint_write()
    audit.record(None, "test.after_the_checkpoint")
    result = verify_chain()
    assert result.ok, result.first_break
    assert (result.checked, result.checkpoint) == (6, checkpoint)
    assert f"It holds the 5 events that {checkpoint} recorded." in verify()


def test_a_removed_tail_with_a_rewound_head_is_reported_as_missing_since_the_checkpoint(events):
    checkpoint = checkpoint_write()
    remove_the_tail_and_rewind_the_head(events, keep=3)

    # The chain agrees with itself: without the checkpoint nothing would show.
    assert verify_chain(checkpoint_file=settings.AUDIT_CHECKPOINT_FILE.with_name("none.jsonl")).ok
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value) == (
        f"Audit chain broken at the end of the chain: the last 2 events after event #{events[2].pk} are "
        f"missing: {checkpoint} recorded 5 events ending in event #{events[4].pk}, hash {checkpoint.hash}. "
        "(3 events verified before it)"
    )


def test_the_newest_event_removed_with_its_seal_and_the_head_rewound_is_reported(events):
    checkpoint_write()
    remove_the_tail_and_rewind_the_head(events, keep=4)
    with pytest.raises(CommandError, match=f"the last event after event #{events[3].pk} is missing"):
        verify()


def test_a_removed_tail_is_reported_even_when_new_events_came_after_it(events):
    checkpoint_write()
    remove_the_tail_and_rewind_the_head(events, keep=2)
    audit.record(None, "test.covering_up")
    newest = audit.record(None, "test.covering_up")
    result = verify_chain()
    assert not result.ok
    assert (  # four events, where the checkpoint saw five
        f"the events after event #{events[1].pk} up to event #{events[4].pk} are missing, newer events up "
        f"to event #{newest.pk} following them (4 events in all): the checkpoint of"
    ) in str(result.first_break)


def test_a_chain_rewritten_before_the_checkpoint_is_reported(events):
    checkpoint = checkpoint_write()
    audit.record(None, "test.after_the_checkpoint")
    seal_pending()
    # Remove the second event and re-link every later seal: the chain agrees with itself and still has
    # five events, but not the fifth the checkpoint recorded.
    raw_sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    raw_sql("DELETE FROM audit_auditseal WHERE event_id = %s", [events[1].pk])
    previous = AuditSeal.objects.get(event_id=events[0].pk).hash
    for seal in AuditSeal.objects.filter(event_id__gt=events[1].pk).order_by("id"):
        event_hash = AuditEvent.objects.get(pk=seal.event_id).hash
        link = AuditSeal.link(previous, event_hash)
        raw_sql(
            "UPDATE audit_auditseal SET prev_hash = %s, hash = %s WHERE id = %s", [previous, link, seal.pk]
        )
        previous = link
    raw_sql("UPDATE audit_chainhead SET last_hash = %s, count = %s WHERE id = 1", [previous, 5])

    result = verify_chain()
    assert not result.ok
    assert str(result.first_break).startswith(f"Audit chain broken at event #{AuditEvent.objects.last().pk}")
    assert f"the chain was rewritten: {checkpoint} recorded event #{events[4].pk}" in str(result.first_break)


def test_seal_audit_refuses_to_checkpoint_a_rewound_chain(events):
    checkpoint_write()
    remove_the_tail_and_rewind_the_head(events, keep=3)
    with pytest.raises(CommandError, match="No checkpoint written: the chain head records 3 events"):
        call_command("seal_audit", stdout=StringIO())
    with pytest.raises(ChainRewound):
        checkpoint_write()
    assert len(settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()) == 1


def test_a_checkpoint_changed_in_the_file_is_reported(events):
    checkpoint_write()
    path = settings.AUDIT_CHECKPOINT_FILE
    remove_the_tail_and_rewind_the_head(events, keep=3)
    fields = json.loads(path.read_text())
    path.write_text(json.dumps({**fields, "count": 3, "event_id": events[2].pk}) + "\n")
    with pytest.raises(CommandError) as failure:
        verify()
    assert str(failure.value).startswith(
        f"Audit checkpoints cannot be trusted: line 1 of {path} is not signed with the anchor key: "
        "the file was changed."
    )


def test_a_checkpoint_signed_with_another_key_is_reported(events):
    path = settings.AUDIT_CHECKPOINT_FILE
    checkpoint_write()
    forged = Checkpoint(count=3, event_id=events[2].pk, hash="f" * 64, at="2026-01-01T00:00:00+00:00")
    signature = hmac.new(b"a key that is not the anchor key", forged.signed_content(), "sha256").hexdigest()
    with path.open("a") as file:
        file.write(json.dumps({**json.loads(forged.line()), "signature": signature}) + "\n")
    with pytest.raises(CommandError, match=r"line 2 of .* is not signed with the anchor key"):
        verify()
    with pytest.raises(CommandError, match=r"No checkpoint written: the last line of .* is not signed"):
        call_command("seal_audit", stdout=StringIO())


def test_a_line_that_is_not_a_checkpoint_is_reported(events):
    settings.AUDIT_CHECKPOINT_FILE.write_text("all is well\n")
    with pytest.raises(CommandError, match=r"line 1 of .* is not a checkpoint"):
        verify()


def test_checkpoints_that_go_backwards_are_reported(events):
    """Two checkpoints, each signed, the second recording fewer events: the chain was rewound between
    them (and the writer's own check was bypassed)."""
    first = checkpoint_write()
    second = Checkpoint(count=4, event_id=events[3].pk, hash=first.hash, at="2026-12-31T00:00:00+00:00")
    with settings.AUDIT_CHECKPOINT_FILE.open("a") as file:
        file.write(second.signed().line() + "\n")
    with pytest.raises(
        CommandError, match=r"recorded 4 events, fewer than the 5 of .*: the chain was rewound"
    ):
        verify()


def test_a_shipped_copy_of_the_checkpoints_still_shows_a_rewind_after_the_local_file_is_gone(
    events, tmp_path
):
    checkpoint_write()
    shipped = tmp_path / "shipped" / "audit-checkpoints.jsonl"
    shipped.parent.mkdir()
    shutil.copy(settings.AUDIT_CHECKPOINT_FILE, shipped)
    remove_the_tail_and_rewind_the_head(events, keep=4)
    settings.AUDIT_CHECKPOINT_FILE.unlink()

    assert "No checkpoint to compare with" in verify()
    with pytest.raises(CommandError, match=r"the last event after .* is missing"):
        verify("--checkpoints", str(shipped))


def test_a_forged_event_with_a_queue_row_is_not_sealed(events):
    forged = forge("test.forged")
    assert seal_pending() == 0
    assert not AuditSeal.objects.filter(event_id=forged.pk).exists()
    assert not PendingSeal.objects.exists()
    with pytest.raises(CommandError, match=f"event #{forged.pk}: it is not in the chain"):
        verify()


def test_a_forged_event_hashed_with_another_key_is_not_sealed(events):
    def with_another_key(event: AuditEvent) -> str:
        return hmac.new(b"guessed-anchor-key-0123456789abcdef", event.canonical(), "sha256").hexdigest()

    forged = forge("test.forged", with_another_key)
    real = audit.record(None, "test.real")
    assert seal_pending() == 1
    assert AuditSeal.objects.filter(event_id=real.pk).exists()
    assert not AuditSeal.objects.filter(event_id=forged.pk).exists()
    assert not verify_chain().ok


def test_an_event_changed_while_it_waits_is_not_sealed(events):
    waiting = audit.record(None, "test.waiting", reason="as it happened")
    raw_sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", waiting.pk])
    assert seal_pending() == 0
    assert not verify_chain().ok


def test_a_forged_event_sealed_by_hand_is_reported(events):
    """Past the sealer: the forger appends the seal and moves the head too."""
    forged = forge("test.forged")
    PendingSeal.objects.filter(event_id=forged.pk).delete()
    head = ChainHead.objects.get(pk=1)
    link = AuditSeal.link(head.last_hash, forged.hash)
    AuditSeal.objects.create(event_id=forged.pk, prev_hash=head.last_hash, hash=link)
    raw_sql(
        "UPDATE audit_chainhead SET last_event_id = %s, last_hash = %s, count = %s WHERE id = 1",
        [forged.pk, link, head.count + 1],
    )
    with pytest.raises(CommandError) as failure:
        verify()
    assert f"Audit chain broken at event #{forged.pk}: its hash was not made with the anchor key" in str(
        failure.value
    )


def test_events_written_before_the_anchor_key_still_verify_and_those_waiting_at_the_upgrade_are_sealed(
    db, monkeypatch
):
    monkeypatch.setattr(AuditEvent, "compute_hash", AuditEvent.compute_unkeyed_hash)
    before = [audit.record(None, f"test.before{n}") for n in range(3)]
    seal_pending()
    waiting = audit.record(None, "test.waiting_at_the_upgrade")
    monkeypatch.undo()

    after = audit.record(None, "test.after")
    assert seal_pending() == 2
    assert [seal.event_id for seal in AuditSeal.objects.order_by("id")] == [
        *(event.pk for event in before),
        waiting.pk,
        after.pk,
    ]
    result = verify_chain()
    assert result.ok, result.first_break
    assert result.checked == 5


def test_an_unkeyed_event_after_the_first_keyed_one_is_not_sealed(db, monkeypatch):
    monkeypatch.setattr(AuditEvent, "compute_hash", AuditEvent.compute_unkeyed_hash)
    audit.record(None, "test.before")
    seal_pending()
    monkeypatch.undo()
    audit.record(None, "test.keyed")
    seal_pending()
    forged = forge("test.forged")
    assert seal_pending() == 0
    assert not AuditSeal.objects.filter(event_id=forged.pk).exists()


def test_an_empty_chain_does_not_take_an_unkeyed_event(db):
    forged = forge("test.forged")
    assert seal_pending() == 0
    assert not AuditSeal.objects.filter(event_id=forged.pk).exists()
