"""A referred service that starts puts the case's services in progress, recorded with whoever marked it
started; and the timeline names the provider's nurse with her own unit and organisation, not the city
whose record the referral is."""

from __future__ import annotations

from django.urls import reverse

from polku.clients.models import CaseStatus, CaseStatusChange
from tests.conftest import client_as
from tests.network.conftest import EN, at_status, text


def test_a_started_referral_puts_the_case_in_active_services_by_the_provider(
    case, worker, receiver, in_polku
):
    at_status(case, in_polku, worker, receiver, "accepted")
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED

    at_status(case, in_polku, worker, receiver, "started")

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE_SERVICES
    change = CaseStatusChange.objects.filter(case=case).latest("at", "id")
    assert (change.previous_status, change.by, change.cause) == (
        CaseStatus.IDENTIFIED,
        receiver,
        "referral.started",
    )


def test_the_timeline_names_the_nurse_with_her_own_organisation(case, worker, receiver, in_polku):
    at_status(case, in_polku, worker, receiver, "accepted")

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    nurse = f"{receiver.user} (Työttömien terveyspalvelut, Hyvinvointialue (testi))"
    assert f"· {nurse}</p>" in page
    assert f"· {receiver.user}, {worker.unit.organisation.name}" not in page


def test_the_referral_history_names_each_actor_with_their_own_organisation(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "accepted")

    page = text(client_as(worker).get(reverse("network:referral", args=[referral.public_id]), **EN))

    assert f"{receiver.user} (Työttömien terveyspalvelut, Hyvinvointialue (testi))" in page
    assert f"{worker.user} ({worker.unit.name}, {worker.unit.organisation.name})" in page
