"""The referral lifecycle: every allowed step and every refused one, who may take each step, and what each
step stores (history row with who and when, timestamps, audit event, timeline entry)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from polku.audit.models import AuditEvent
from polku.clients.models import TimelineEntry
from polku.network import services
from polku.network.models import (
    SENDER_STATUSES,
    TRANSITIONS,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
)
from tests.factories import make_membership, make_unit
from tests.network.conftest import at_status, draft

ALLOWED = [(current, new) for current, targets in TRANSITIONS.items() for new in targets]
REFUSED = [
    (current, new)
    for current in ReferralStatus.values
    for new in ReferralStatus.values
    if new not in TRANSITIONS[current]
]


def test_the_lifecycle_is_the_one_the_issue_names():
    assert dict(TRANSITIONS) == {
        "draft": ("sent", "cancelled"),
        "sent": ("accepted", "declined", "cancelled"),
        "accepted": ("started", "did_not_attend"),
        "started": ("completed", "discontinued", "did_not_attend"),
        "declined": (),
        "completed": (),
        "discontinued": (),
        "did_not_attend": (),
        "cancelled": (),
    }


@pytest.mark.parametrize(("current", "new"), ALLOWED)
def test_each_allowed_step_by_the_receiving_unit_is_stored_with_who_and_when(
    current, new, case, worker, receiver, in_polku
):
    referral = at_status(case, in_polku, worker, receiver, current)
    by = worker if new in SENDER_STATUSES else receiver
    changes = ReferralStatusChange.objects.count()

    moved = services.move(referral=referral, to=new, by=by, reason="Syy kirjattu tähän.")

    moved.refresh_from_db()
    assert moved.status == new
    last = moved.status_changes.last()
    assert (last.status, last.previous_status, last.by) == (new, current, by)
    assert last.on_behalf is False
    assert ReferralStatusChange.objects.count() == changes + 1
    assert AuditEvent.objects.filter(action=f"referral.{new}", membership=by).count() == 1
    entry = TimelineEntry.objects.filter(kind="referral.status", object_id=str(referral.public_id)).first()
    assert entry is not None and entry.case == case


@pytest.mark.parametrize(("current", "new"), ALLOWED)
def test_for_a_provider_not_in_polku_the_worker_records_each_step(current, new, case, worker, external):
    referral = at_status(case, external, worker, worker, current)

    moved = services.move(referral=referral, to=new, by=worker, reason="Palveluntuottaja ilmoitti.")

    assert moved.status == new
    assert moved.status_changes.last().on_behalf is (new not in SENDER_STATUSES)


@pytest.mark.parametrize(("current", "new"), REFUSED)
def test_each_step_the_lifecycle_does_not_allow_is_refused_with_a_clear_message(
    current, new, case, worker, external
):
    referral = at_status(case, external, worker, worker, current)
    before = (Referral.objects.get(pk=referral.pk).status, ReferralStatusChange.objects.count())

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            services.move(referral=referral, to=new, by=worker, reason="Syy kirjattu tähän.")
        expected = f"A referral that is “{ReferralStatus(current).label}” cannot be marked “{ReferralStatus(new).label}”."

    assert refused.value.messages == [expected]
    assert (Referral.objects.get(pk=referral.pk).status, ReferralStatusChange.objects.count()) == before


@pytest.mark.parametrize("new", ["declined", "discontinued"])
def test_declining_and_discontinuing_need_a_reason(new, case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "sent" if new == "declined" else "started")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.move(referral=referral, to=new, by=receiver, reason=" ")

    assert refused.value.message_dict == {"reason": ["Give the reason in a sentence."]}
    assert Referral.objects.get(pk=referral.pk).status != new


def test_the_times_for_the_indicators_are_stored(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "started")

    assert referral.sent_at and referral.answered_at and referral.accepted_at and referral.started_at
    assert referral.sent_at <= referral.accepted_at <= referral.started_at
    assert referral.days_to_start == 0
    assert referral.ended_at is None
    ended = services.move(referral=referral, to="completed", by=receiver)
    assert ended.ended_at is not None


def test_when_the_provider_is_in_polku_the_sending_worker_cannot_answer_for_it(case, worker, in_polku):
    referral = at_status(case, in_polku, worker, worker, "sent")

    with pytest.raises(Exception) as refused:
        services.move(referral=referral, to="accepted", by=worker)

    assert refused.type.__name__ == "PermissionDenied"
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_the_receiving_unit_cannot_send_or_see_a_draft(case, worker, receiver, in_polku):
    referral = draft(case, in_polku, worker)

    with pytest.raises(Http404):
        services.move(referral=referral, to="sent", by=receiver)
    with pytest.raises(Http404):
        services.move(referral=referral, to="accepted", by=receiver)


def test_another_unit_of_the_providers_organisation_cannot_answer(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "sent")
    elsewhere = make_membership(unit=make_unit(organisation=receiver.unit.organisation), role="nurse")

    with pytest.raises(Http404):
        services.move(referral=referral, to="accepted", by=elsewhere)


def test_another_organisation_cannot_refer_from_the_case(case, outsider, external):
    with pytest.raises(Http404):
        draft(case, external, outsider)
    assert Referral.objects.count() == 0


def test_a_referral_needs_a_reason_and_an_active_service(case, worker, external):
    external.is_active = False
    external.save()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.refer(case=case, service=external, by=worker, reason="x")

    assert refused.value.message_dict == {
        "service": ["This service is no longer active in the catalogue."],
        "reason": ["Say in a sentence why the client is referred."],
    }


def test_shared_information_needs_the_clients_consent(case, worker, external):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        draft(case, external, worker, shared_information="Diagnoosi ja lääkitys.")

    assert refused.value.message_dict == {
        "consent": ["Information is shared only under the client's consent: choose the consent."]
    }


def test_the_consent_must_let_the_workers_organisation_disclose(case, worker, external, consent):
    # The consent fixture lets Espoo disclose to Oulu, not the other way round.
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        draft(case, external, worker, shared_information="Työhistoria.", consent=consent)

    assert refused.value.message_dict == {
        "consent": ["The consent must let your organisation disclose the information."]
    }


def test_sending_a_referral_for_a_flagged_need_marks_the_need_acted_on(case, worker, external):
    from polku.screening.services import screen_client

    [need] = screen_client(
        client=case.client, case=case, facts={"was.score": 3}, by=worker, source_description="Testi"
    )
    referral = draft(case, external, worker, need=need)

    services.send(referral=referral, by=worker)

    need.refresh_from_db()
    assert need.status == "acted_on"
    assert need.action_id == str(referral.public_id)


def test_the_sender_discards_a_draft_and_the_history_keeps_it(case, worker, external):
    referral = draft(case, external, worker)

    moved = services.move(referral=referral, to="cancelled", by=worker)

    moved.refresh_from_db()
    assert moved.status == "cancelled" and moved.ended_at is not None
    last = moved.status_changes.last()
    assert (last.status, last.previous_status, last.by, last.on_behalf) == (
        "cancelled",
        "draft",
        worker,
        False,
    )
    assert AuditEvent.objects.filter(action="referral.cancelled", membership=worker).count() == 1


def test_withdrawing_a_sent_referral_needs_a_reason(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "sent")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.move(referral=referral, to="cancelled", by=worker, reason=" ")
    assert refused.value.message_dict == {"reason": ["Say in a sentence why the sent referral is withdrawn."]}

    moved = services.move(
        referral=referral, to="cancelled", by=worker, reason="Asiakas muutti toiselle paikkakunnalle."
    )
    assert moved.status_changes.last().reason == "Asiakas muutti toiselle paikkakunnalle."


def test_the_receiving_unit_cannot_withdraw_the_senders_referral(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "sent")

    with pytest.raises((PermissionDenied, Http404)):
        services.move(referral=referral, to="cancelled", by=receiver, reason="Ei meidän asiamme.")

    assert Referral.objects.get(pk=referral.pk).status == "sent"


@pytest.mark.parametrize("current", ["accepted", "started", "declined"])
def test_an_answered_referral_cannot_be_withdrawn(current, case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, current)

    with pytest.raises(ValidationError, match="cannot be marked"):
        services.move(referral=referral, to="cancelled", by=worker, reason="Asiakas muutti pois.")
