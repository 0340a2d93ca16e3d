"""Overdue referrals on the personal worker's caseload (one query for the page), and referrals on the
client overview, its timeline and the client's data export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from polku.clients.export import client_export
from polku.network import selectors
from polku.network.models import REFERRAL_ANSWER_DAYS, REFERRAL_START_DAYS, Referral
from tests.clients.conftest import EN, open_case_for, text
from tests.conftest import client_as
from tests.network.conftest import at_status, draft
from tests.queries import AUDIT_EVENT


def backdate(referral: Referral, **days: int) -> None:
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(
        **{field: now - timedelta(days=d) for field, d in days.items()}
    )


@pytest.mark.parametrize(
    ("status", "field", "days", "overdue"),
    [
        ("sent", "sent_at", REFERRAL_ANSWER_DAYS + 1, True),
        ("sent", "sent_at", REFERRAL_ANSWER_DAYS - 1, False),
        ("accepted", "accepted_at", REFERRAL_START_DAYS + 1, True),
        ("accepted", "accepted_at", REFERRAL_START_DAYS - 1, False),
        ("started", "sent_at", 365, False),
        ("declined", "sent_at", 365, False),
    ],
)
def test_overdue_is_no_answer_in_time_or_no_start_in_time(
    status, field, days, overdue, case, worker, receiver, in_polku
):
    referral = at_status(case, in_polku, worker, receiver, status)
    backdate(referral, **{field: days})
    referral.refresh_from_db()

    assert referral.is_overdue is overdue
    assert selectors.overdue_case_ids(worker, [case]) == ({case.pk} if overdue else set())


@override_settings(POLKU_REFERRAL_ANSWER_DAYS=3)
def test_a_deployment_may_shorten_the_answer_time(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "sent")
    backdate(referral, sent_at=4)

    assert selectors.overdue_case_ids(worker, [case]) == {case.pk}


def test_another_organisations_overdue_referral_is_flagged_only_under_consent(
    case, worker, outsider, receiver, in_polku, oulu, espoo
):
    from polku.clients import services as client_services

    referral = at_status(case, in_polku, worker, receiver, "sent")
    backdate(referral, sent_at=REFERRAL_ANSWER_DAYS + 2)
    client_services.add_team_member(case=case, member=outsider, by=worker)

    assert selectors.overdue_case_ids(outsider, [case]) == set()
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_health=True,
        purpose="Terveystarkastus",
        valid_from=timezone.localdate(),
        method="written",
    )
    assert selectors.overdue_case_ids(outsider, [case]) == {case.pk}


def test_the_caseload_flags_a_case_with_an_overdue_referral(case, worker, receiver, in_polku):
    referral = at_status(case, in_polku, worker, receiver, "sent")
    backdate(referral, sent_at=REFERRAL_ANSWER_DAYS + 2)
    open_case_for(worker, last_name="Ilmanlähetettä")

    response = client_as(worker).get("/caseload/", **EN)

    # The referral flags, among the caseload's own (both cases have had no contact in 90 days).
    flagged = {
        row.name.split(",")[0]: tuple(flag for flag in row.flags if flag[0] != "No contact in 90 days")
        for row in response.context["rows"]
    }
    assert flagged["Asiakas"] == (("Referral overdue", True),)
    assert flagged["Ilmanlähetettä"] == ()


@pytest.mark.parametrize("count", [1, 10])
def test_the_flag_costs_one_query_for_the_page(worker, receiver, in_polku, count, django_assert_num_queries):
    cases = [open_case_for(worker) for _ in range(count)]
    for case in cases:
        backdate(at_status(case, in_polku, worker, receiver, "sent"), sent_at=30)

    with django_assert_num_queries(1):
        assert selectors.overdue_case_ids(worker, cases) == {c.pk for c in cases}


def test_the_overview_shows_the_referrals_and_the_way_to_refer(case, worker, external):
    draft(case, external, worker)

    response = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    page = text(response)
    assert "Referrals" in page and "Service " in page and "Draft" in page
    assert f"/services/?case={case.public_id}" in page


def test_a_team_member_of_another_organisation_sees_no_referral_without_consent(
    case, worker, outsider, external
):
    from polku.clients import services as client_services

    referral = draft(case, external, worker)
    client_services.add_team_member(case=case, member=outsider, by=worker)

    assert selectors.referrals_for(case.client, viewer=outsider) == []
    assert selectors.referrals_for(case.client, viewer=worker) == [referral]
    assert client_as(outsider).get(f"/referrals/{referral.public_id}/").status_code == 404


def test_the_timeline_tells_each_step(case, worker, receiver, in_polku):
    at_status(case, in_polku, worker, receiver, "accepted")

    response = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    page = text(response)
    assert "Referral drafted: Terveystarkastus" in page
    assert "Referral to Terveystarkastus: Sent" in page
    assert "Referral to Terveystarkastus: Accepted" in page


def test_the_clients_data_export_holds_the_referrals(case, worker, external):
    at_status(case, external, worker, worker, "declined")

    with translation.override("en"):
        data = client_export(case.client, viewer=worker)

    [row] = data["referrals"]
    assert row["service"] == external.name_en
    assert [step["status"] for step in row["history"]] == ["Draft", "Sent", "Declined"]


# The client's referrals page (new with the panel limit): session, the user with their active memberships, the client and
# the permission reads (team, consents), the count and the page of referrals, the audit event — 13 for 1
# referral as for 25.
CLIENT_REFERRALS_QUERIES = 8 + AUDIT_EVENT


def test_the_overview_shows_the_ten_newest_and_links_to_all(case, worker, external):
    referrals = [draft(case, external, worker, reason=f"Syy numero {n}.") for n in range(11)]

    response = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)

    page = response.content.decode()
    assert str(referrals[-1].public_id) in page and str(referrals[1].public_id) in page
    assert str(referrals[0].public_id) not in page
    assert f"/referrals/of/{case.client.public_id}/" in page and "Show all referrals" in text(response)


def test_with_ten_or_fewer_there_is_no_link(case, worker, external):
    for n in range(10):
        draft(case, external, worker, reason=f"Syy numero {n}.")

    assert (
        "/referrals/of/" not in client_as(worker).get(f"/clients/{case.client.public_id}/").content.decode()
    )


def test_the_clients_referrals_page_lists_all_a_page_at_a_time_and_is_audited(case, worker, external):
    referrals = [draft(case, external, worker, reason=f"Syy numero {n}.") for n in range(21)]
    url = f"/referrals/of/{case.client.public_id}/"

    first = client_as(worker).get(url, **EN)
    second = client_as(worker).get(url + "?page=2", **EN)

    assert first.status_code == 200 and "Page 1 of 2" in text(first)
    assert str(referrals[0].public_id) in second.content.decode()
    assert str(referrals[0].public_id) not in first.content.decode()
    from polku.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="client.view", details__page="referrals").count() == 2


def test_the_clients_referrals_page_is_refused_to_others(case, worker, outsider, external):
    from polku.audit.models import AuditEvent
    from tests.factories import make_membership

    draft(case, external, worker)
    url = f"/referrals/of/{case.client.public_id}/"

    assert client_as(outsider).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="permission.refused", membership=outsider).exists()
    host = make_membership(unit=worker.unit, role="work_trial_host")
    assert client_as(host).get(url).status_code in (403, 404)


def test_another_organisations_team_member_sees_no_referral_there_without_consent(
    case, worker, outsider, external
):
    from polku.clients import services as client_services

    draft(case, external, worker)
    client_services.add_team_member(case=case, member=outsider, by=worker)

    response = client_as(outsider).get(f"/referrals/of/{case.client.public_id}/", **EN)

    assert response.status_code == 200 and response.context["referrals"] == []
    assert "No referrals." in text(response)


@pytest.mark.parametrize("count", [1, 25])
def test_the_clients_referrals_page_runs_the_same_queries(
    case, worker, external, count, django_assert_num_queries
):
    for n in range(count):
        draft(case, external, worker, reason=f"Syy numero {n}.")
    browser = client_as(worker)
    url = f"/referrals/of/{case.client.public_id}/"
    browser.get(url)

    with django_assert_num_queries(CLIENT_REFERRALS_QUERIES):
        browser.get(url)
