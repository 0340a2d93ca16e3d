"""Recording responses: scores and bands stored with the version, who entered them and in which case;
drafts; corrections; safety alerts and their acknowledgement; audit and timeline; refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.clients.models import TimelineEntry
from polku.instruments import services
from polku.instruments.models import Response, SafetyAlert
from tests.clients.conftest import days_ago, open_case_for
from tests.instruments.conftest import answers_for, man_code, record, version, woman_code


def test_a_completed_response_keeps_version_answers_scores_band_and_who(worker, case):
    stored = record(case, "phq9", 12)

    stored.refresh_from_db()
    assert stored.version == version("phq9")
    assert (stored.total_score, stored.band.code, stored.register) == (12, "moderate", "health")
    assert (stored.client, stored.case, stored.entered_by, stored.organisation) == (
        case.client,
        case,
        worker,
        worker.unit.organisation,
    )
    assert stored.completed_at is not None
    assert sum(stored.item_scores.values()) == 12


@pytest.mark.parametrize(("code_of", "total", "band"), [(man_code, 5, "low_risk"), (woman_code, 5, "risk")])
def test_the_auditc_band_follows_the_sex_in_the_identity_code(worker, code_of, total, band):
    case = open_case_for(worker, identity_code=code_of())

    assert record(case, "auditc", total).band.code == band


def test_a_completed_response_never_changes(case):
    stored = record(case, "was", 3)

    stored.total_score = 9
    with pytest.raises(ValidationError):
        stored.save()
    assert Response.objects.get().total_score == 3


def test_required_answers_are_enforced_on_completion_but_not_in_a_draft(worker, case):
    v = version("gad7")

    draft = services.save_draft(case=case, version=v, answers={"1": "1"}, by=worker)
    with pytest.raises(ValidationError) as refused:
        services.record_response(case=case, version=v, answers={"1": "1"}, by=worker, draft=draft)

    assert set(refused.value.message_dict) == {"2", "3", "4", "5", "6", "7"}
    draft.refresh_from_db()
    assert draft.completed_at is None


def test_a_correction_supersedes_and_cannot_be_made_twice(worker, case):
    old = record(case, "was", 2)
    v = version("was")

    new = services.record_response(case=case, version=v, answers={"1": 5}, by=worker, supersedes=old)
    with pytest.raises(ValidationError):
        services.record_response(case=case, version=v, answers={"1": 6}, by=worker, supersedes=old)

    assert new.supersedes == old
    assert list(Response.objects.current()) == [new]
    assert TimelineEntry.objects.filter(kind="questionnaire.corrected").count() == 1


def test_completing_is_audited_and_on_the_timeline_under_the_instruments_register(worker, case):
    stored = record(case, "phq9", 16)

    [event] = AuditEvent.objects.filter(action="response.complete")
    assert event.client_id == case.client.public_id
    assert event.details["score"] == 16 and event.details["band"] == "moderately_severe"
    entry = TimelineEntry.objects.get(kind="questionnaire.completed")
    assert (entry.register, entry.object_id) == ("health", str(stored.public_id))


def test_phq9_item_9_raises_a_stored_alert_for_the_team(worker, case):
    stored = record(case, "phq9", 2, **{"9": "2"})

    [alert] = SafetyAlert.objects.all()
    assert (alert.response, alert.case, alert.client, alert.acknowledged_at) == (
        stored,
        case,
        case.client,
        None,
    )
    assert (
        AuditEvent.objects.filter(action="safety_alert.raise", client_id=case.client.public_id).count() == 1
    )
    # A record of the response's register, shown to other organisations under the same consent.
    assert TimelineEntry.objects.filter(kind="safety_alert.raised", register=stored.register).count() == 1


def test_no_alert_when_item_9_is_zero(case):
    record(case, "phq9", 20, **{"9": "0"})

    assert SafetyAlert.objects.count() == 0


def test_a_team_member_acknowledges_the_alert_with_a_timestamp(worker, colleague, case):
    client_services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(1))
    record(case, "phq9", 1, **{"9": "1"})
    alert = SafetyAlert.objects.get()

    services.acknowledge_alert(alert=alert, by=colleague, note="Soitettu päivystykseen.")

    alert.refresh_from_db()
    assert alert.acknowledged_by == colleague
    assert timezone.now() - alert.acknowledged_at < timezone.timedelta(minutes=1)
    assert alert.acknowledgement_note == "Soitettu päivystykseen."
    assert AuditEvent.objects.filter(action="safety_alert.acknowledge", membership=colleague).count() == 1
    with pytest.raises(ValidationError):
        services.acknowledge_alert(alert=alert, by=worker)


def test_someone_off_the_team_cannot_acknowledge(colleague, case):
    record(case, "phq9", 1, **{"9": "1"})

    with pytest.raises(PermissionDenied):
        services.acknowledge_alert(alert=SafetyAlert.objects.get(), by=colleague)


def test_only_the_case_team_may_record_and_only_while_the_case_is_open(worker, colleague, outsider, case):
    v = version("was")
    for stranger in (colleague, outsider):
        with pytest.raises(PermissionDenied):
            services.record_response(case=case, version=v, answers={"1": 5}, by=stranger)
    client_services.close_case(case=case, outcome="studies", closed_on=timezone.localdate(), by=worker)
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.record_response(case=case, version=v, answers=answers_for(v, 5), by=worker)
    assert Response.objects.count() == 0
