"""Breaking the glass (/clients/<id>/break-the-glass/): a personal worker opens a client outside her
teams for a few hours by stating a reason, which follows every read into the client's access report."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from polku.clients.models import BreakGlassAccess
from tests.clients.conftest import EN, events, stored_state, text
from tests.conftest import client_as

REASON = "Asiakas soitti päivystykseen, oma työntekijä lomalla."


def open_glass(world, membership, reason=REASON, **extra):
    return client_as(membership).post(world.url("break_glass"), {"reason": reason}, **extra)


def test_the_page_explains_the_access_without_showing_the_client(world, unit_worker):
    response = client_as(unit_worker).get(world.url("break_glass"), **EN)

    assert response.status_code == 200
    page = text(response)
    assert "Open a client outside your teams" in page
    assert "the client sees it in their access report" in page
    assert "Aino" not in page


def test_a_stated_reason_opens_the_client_for_a_few_hours(world, unit_worker):
    before = timezone.now()

    response = open_glass(world, unit_worker)

    assert response.status_code == 302
    assert response.url == world.url("detail")
    access = BreakGlassAccess.objects.get()
    assert (access.client, access.membership, access.reason) == (world.client, unit_worker, REASON)
    assert before + timedelta(hours=settings.BREAK_GLASS_HOURS) <= access.expires_at
    assert access.expires_at <= timezone.now() + timedelta(hours=settings.BREAK_GLASS_HOURS)
    [event] = events("client.break_glass", world.client)
    assert (event.membership, event.reason) == (unit_worker, REASON)


def test_after_breaking_the_glass_the_overview_opens_and_its_read_carries_the_reason(world, unit_worker):
    open_glass(world, unit_worker)

    response = client_as(unit_worker).get(world.url("detail"), **EN)

    assert response.status_code == 200
    assert "Aino Asiakas" in text(response)
    [view] = [e for e in events("client.view", world.client) if e.membership == unit_worker]
    assert view.reason == f"Break the glass: {REASON}"


def test_the_reason_shows_in_the_clients_access_report(world, unit_worker):
    open_glass(world, unit_worker)
    client_as(unit_worker).get(world.url("detail"))

    response = client_as(world.worker).get(world.url("access_report"), **EN)

    assert REASON in text(response)
    assert "Opened the data outside the case teams" in text(response)


def test_another_organisations_personal_worker_may_break_the_glass_too(world, outsider):
    assert open_glass(world, outsider).status_code == 302
    assert client_as(outsider).get(world.url("detail")).status_code == 200


def test_the_access_ends_when_it_expires(world, unit_worker):
    open_glass(world, unit_worker)
    BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client_as(unit_worker).get(world.url("detail"))

    assert response.status_code == 404
    assert events("permission.refused", world.client)[-1].membership == unit_worker


def test_breaking_the_glass_lets_her_read_but_not_work_on_the_case(world, unit_worker):
    open_glass(world, unit_worker)
    browser = client_as(unit_worker)

    assert browser.get(world.url("access_report")).status_code == 404
    assert browser.get(world.url("record_contact")).status_code == 403
    assert browser.get(world.url("change_status")).status_code == 403
    assert browser.get(world.url("edit")).status_code == 404
    assert browser.get(world.url("export")).status_code == 404
    page = text(browser.get(world.url("detail"), **EN))
    assert "Record a contact" not in page
    assert "Edit basic details" not in page


@pytest.mark.parametrize("reason", ["", "   ", "Kiire", "lyhyt syy"])
def test_a_missing_or_too_short_reason_is_refused_and_opens_nothing(world, unit_worker, reason):
    before = stored_state()

    response = open_glass(world, unit_worker, reason, **EN)

    page = text(response)
    assert (
        "This field is required." in page
        or "State the reason in a sentence; it is shown to the client." in page
    )
    assert stored_state() == before
    assert not events("client.break_glass")
    assert client_as(unit_worker).get(world.url("detail")).status_code == 404


def test_a_short_reason_is_told_to_be_a_sentence(world, unit_worker):
    response = open_glass(world, unit_worker, "Kiire", **EN)

    assert "State the reason in a sentence; it is shown to the client." in text(response)


def test_a_too_short_reason_answers_400_like_the_other_forms(world, unit_worker):
    assert open_glass(world, unit_worker, "Kiire").status_code == 400


@pytest.mark.parametrize("persona", ["colleague", "manager", "job_coach"])
def test_only_personal_workers_may_break_the_glass(world, request, persona):
    membership = request.getfixturevalue(persona)  # the nurse is even on the client's team
    before = stored_state()

    shown = client_as(membership).get(world.url("break_glass"))
    posted = open_glass(world, membership)

    # Only a personal worker learns that the person is a client at all.
    assert (shown.status_code, posted.status_code) == (404, 404)
    assert stored_state() == before
    refusals = [e for e in events("permission.refused") if e.membership == membership]
    assert [e.details["action"] for e in refusals] == ["client.break_glass", "client.break_glass"]


def test_a_refused_attempt_to_break_the_glass_shows_in_the_clients_access_report(world, job_coach):
    client_as(job_coach).post(world.url("break_glass"), {"reason": REASON})

    assert [e.membership for e in events("permission.refused", world.client)] == [job_coach]


def test_breaking_the_glass_for_an_unknown_client_is_404(unit_worker):
    response = client_as(unit_worker).post(
        "/clients/00000000-0000-4000-8000-000000000000/break-the-glass/", {"reason": REASON}
    )

    assert response.status_code == 404
    assert not BreakGlassAccess.objects.exists()
