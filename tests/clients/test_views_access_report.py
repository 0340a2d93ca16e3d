"""The access report (/clients/<id>/access-report/): who viewed or changed the client's data, from which
organisation, in which role, what they did and why, refusals included, newest first."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from polku.accounts.models import Role
from polku.audit import services as audit
from polku.audit.models import AuditEvent, ListedClient
from polku.audit.services import verify_chain
from polku.clients import selectors
from tests.clients.conftest import EN, days_ago, events, open_case_for, text
from tests.conftest import client_as
from tests.factories import make_membership, make_unit, make_user
from tests.queries import AUDIT_EVENT

# Measured: session, the user with their active memberships, the client, the viewer's facts about the client (team,
# personal worker, break-the-glass: clients.access.ClientFacts, one query), the consents valid today and the
# records the viewer may not read (whose events are left out, one query), events count and page, audit event
# (AUDIT_EVENT, tests/queries.py).
ACCESS_REPORT_QUERIES = 8 + AUDIT_EVENT


def rows(response) -> list[tuple[str, str]]:
    return [(event.action, event.actor_label) for event in response.context["events"]]


def test_the_report_lists_who_did_what_from_which_organisation_in_which_role_and_why(world, espoo):
    nurse = make_membership(
        user=make_user(first_name="Noora", last_name="Hoitaja"), unit=world.worker.unit, role=Role.NURSE
    )
    client_as(world.worker).post(
        world.url("add_team_member"), {"member": nurse.pk, "started_on": days_ago(5)}
    )
    client_as(nurse).get(world.url("detail"))
    stranger = make_membership(
        user=make_user(first_name="Eero", last_name="Espoolainen"),
        unit=make_unit(organisation=espoo),
        role=Role.PERSONAL_WORKER,
    )
    client_as(stranger).get(world.url("detail"))
    client_as(stranger).post(world.url("break_glass"), {"reason": "Asiakas asioi Espoon toimipisteessä."})
    client_as(stranger).get(world.url("detail"))

    response = client_as(world.worker).get(world.url("access_report"), **EN)

    assert response.status_code == 200
    page = text(response)
    assert "Who has viewed or changed the data of Aino Asiakas" in page
    for expected in (
        "Noora Hoitaja",
        "Nurse",
        "Added a team member",
        "Viewed the client's data",
        "Eero Espoolainen",
        "Espoon kaupunki (testi)",
        "Personal worker",
        "Tried to open the data and was refused",
        "Opened the data outside the case teams",
        "Asiakas asioi Espoon toimipisteessä.",
        "Oulun kaupunki (testi)",
        "Registered the client",
    ):
        assert expected in page, expected
    actions = [event.action for event in response.context["events"]]
    # Newest first: the stranger's read under break-the-glass, the glass, the refusal, the nurse's read.
    assert actions[:4] == ["client.view", "client.break_glass", "permission.refused", "client.view"]
    assert response.context["events"][0].membership == stranger


def test_the_report_shows_only_this_clients_events(world):
    other = open_case_for(world.worker, last_name="Toinen")
    client_as(world.worker).get(f"/clients/{other.client.public_id}/")

    response = client_as(world.worker).get(world.url("access_report"))

    assert {str(event.client_id) for event in response.context["events"]} == {str(world.client.public_id)}


def test_viewing_the_report_is_itself_audited_and_shows_in_the_next_view(world):
    client_as(world.worker).get(world.url("access_report"))

    [event] = events("client.access_report.view", world.client)
    assert event.membership == world.worker
    again = client_as(world.worker).get(world.url("access_report"), **EN)
    assert again.context["events"][0].action == "client.access_report.view"
    assert "Viewed this access report" in text(again)


def test_only_the_personal_worker_reads_the_report_other_team_members_get_404(world, colleague):
    """The report names every organisation and role that touched the client, so it is for the personal
    worker who answers the client, like the export."""
    assert client_as(colleague).get(world.url("access_report")).status_code == 404
    assert events("permission.refused", world.client)[-1].membership == colleague


def test_the_report_shows_50_events_a_page(world):
    for _ in range(60 - client_events(world)):
        audit.record(world.worker, "client.view", world.client, client=world.client)

    first = client_as(world.worker).get(world.url("access_report"), **EN)
    second = client_as(world.worker).get(world.url("access_report") + "?page=2", **EN)

    assert len(first.context["events"]) == 50
    assert "Page 1 of 2" in text(first)
    # The first view of the report is the 61st event.
    assert len(second.context["events"]) == 11
    assert "Page 2 of 2" in text(second)
    assert second.context["events"][-1].action == "case.open"  # the oldest: the case opened with the client


def client_events(world) -> int:
    return AuditEvent.objects.filter(client_id=world.client.public_id).count()


@pytest.mark.parametrize("count", [1, 60])
def test_the_report_runs_the_same_queries_with_few_and_many_events(world, count, django_assert_num_queries):
    people = [make_membership(unit=world.worker.unit, role=Role.NURSE) for _ in range(min(count, 10))]
    for n in range(count):
        audit.record(people[n % len(people)], "permission.refused", world.client, client=world.client)
    browser = client_as(world.worker)
    browser.get(world.url("detail"))  # the first request of a session records its MFA check

    with django_assert_num_queries(ACCESS_REPORT_QUERIES):
        response = browser.get(world.url("access_report"))

    assert response.status_code == 200


# --- List pages that showed the client ---------------------------------------------------------------


def test_a_caseload_that_listed_the_client_is_in_the_report_and_one_that_did_not_is_not(world, colleague):
    elsewhere = make_membership(
        user=make_user(first_name="Kalle", last_name="Kollega"),
        unit=world.worker.unit,
        role=Role.PERSONAL_WORKER,
    )
    open_case_for(elsewhere, last_name="Toinen")
    client_as(colleague).get("/caseload/")  # the nurse's caseload lists the client (on the team)
    client_as(elsewhere).get("/caseload/")  # another worker's caseload does not

    response = client_as(world.worker).get(world.url("access_report"), **EN)

    listed = [event for event in response.context["events"] if event.action == "caseload.view"]
    assert [event.membership for event in listed] == [colleague]
    assert "Saw the client on a caseload" in text(response)
    assert str(world.client.public_id) in listed[0].details["clients"]


def test_the_list_view_is_one_event_whatever_the_number_of_clients_it_showed(world):
    for n in range(3):
        open_case_for(world.worker, last_name=f"Lisä{n}")

    client_as(world.worker).get("/caseload/")

    [event] = AuditEvent.objects.filter(action="caseload.view")
    assert len(event.details["clients"]) == 4
    assert ListedClient.objects.filter(event_id=event.pk).count() == 4
    assert verify_chain().ok


def test_the_export_access_log_holds_the_list_views_too(world):
    client_as(world.worker).get("/caseload/")

    exported = client_as(world.worker).get(world.url("export_json")).json()

    assert "caseload.view" in [entry["action"] for entry in exported["access_log"]]


def test_list_views_recorded_before_the_index_are_indexed_by_the_migration(world):
    audit.record(world.worker, "caseload.view", details={"clients": [str(world.client.public_id)], "page": 1})
    assert not ListedClient.objects.exists()

    migration = importlib.import_module("polku.audit.migrations.0003_listed_clients")
    # The function reads only the schema editor's connection (a real one cannot open inside the test's
    # transaction on SQLite).
    migration.index_earlier_list_views(django_apps, SimpleNamespace(connection=connection))

    assert (
        next(e.action for e in selectors.access_report(world.client, viewer=world.worker)) == "caseload.view"
    )
