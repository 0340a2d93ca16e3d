"""The client's data export (/clients/<id>/export/ and export.json) for their right of access: everything
the exporting personal worker may see, never cached, and audited."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.clients import services
from tests.clients.conftest import EN, days_ago, events, open_case_for, text, today
from tests.conftest import client_as
from tests.factories import (
    make_case_after_break_glass,
    make_client,
    make_membership,
    make_unit,
    synthetic_identity_code,
)
from tests.queries import AUDIT_EVENT

# Measured with one case: session, the user with their active memberships, MFA flag, the client, the viewer's facts about it (clients.access.ClientFacts), cases,
# their histories and team, contacts, consents, timeline, access log (less the events about records the viewer may not read: one query), the audit event
# (AUDIT_EVENT, tests/queries.py), the consents valid today (read once),
# the questionnaire answers and the support needs (their evidence only when there are needs). Then one
# query for each section other apps add (clients.export): assessments and service plans (plans),
# referrals (services), placements and supported employment (employment: the IPS periods) (their
# contents only when there are any), and the client's own entries in their Polku (portal: messages, own
# goal ratings, own action marks).
EXPORT_QUERIES = 17 + AUDIT_EVENT + 5 + 3


@pytest.fixture
def code():
    return synthetic_identity_code()


@pytest.fixture
def case(worker, code):
    return open_case_for(
        worker, identity_code=code, first_names="Aino", last_name="Asiakas", phone="040 123 4567"
    )


@pytest.fixture
def notes(case, worker, outsider):
    """An Oulu note of the worker's, and an Espoo note written by an Espoo team member."""
    services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(20))
    services.record_contact(
        case=case,
        by=worker,
        kind="meeting",
        happened_on=days_ago(3),
        note="Oulun muistiinpano",
        register="social",
    )
    services.record_contact(
        case=case,
        by=outsider,
        kind="phone",
        happened_on=days_ago(2),
        note="Espoon muistiinpano",
        register="employment",
    )


def export_json(membership, case):
    return client_as(membership).get(f"/clients/{case.client.public_id}/export.json")


def test_the_json_export_holds_the_client_their_cases_contacts_consents_and_access_log(
    worker, case, code, notes, espoo, oulu
):
    services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_social=True,
        purpose="Yhteistyö",
        valid_from=today(),
        method="written",
    )

    response = export_json(worker, case)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert (
        response["Content-Disposition"] == f'attachment; filename="polku-client-{case.client.public_id}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["client"]["identity_code"] == code
    assert (data["client"]["first_names"], data["client"]["last_name"], data["client"]["phone"]) == (
        "Aino",
        "Asiakas",
        "040 123 4567",
    )
    [exported_case] = data["cases"]
    assert exported_case["id"] == str(case.public_id)
    assert exported_case["status_history"][0]["status"]
    assert len(exported_case["team"]) == 2
    assert [contact["note"] for contact in data["contacts"]] == ["Oulun muistiinpano"]
    # Nothing tells which organisation holds a withheld record, or how many: the same note in every export.
    assert "withheld" not in data
    assert data["not_included"].startswith("Muilla organisaatioilla voi olla")
    [consent] = data["consents"]
    assert (consent["discloser"], consent["recipient"], consent["purpose"]) == (
        "Oulun kaupunki (testi)",
        "Espoon kaupunki (testi)",
        "Yhteistyö",
    )
    assert {"client.create", "contact.record", "consent.record"} <= {
        row["action"] for row in data["access_log"]
    }
    assert data["exported_by"]["organisation"] == "Oulun kaupunki (testi)"


def test_another_organisations_notes_are_exported_under_the_clients_consent(worker, case, notes, espoo, oulu):
    services.record_consent(
        client=case.client,
        by=worker,
        discloser=espoo,
        recipient=oulu,
        covers_employment=True,
        purpose="Työllistyminen",
        valid_from=today(),
        method="electronic",
    )

    data = json.loads(export_json(worker, case).content)

    assert sorted(contact["note"] for contact in data["contacts"]) == [
        "Espoon muistiinpano",
        "Oulun muistiinpano",
    ]
    assert data["not_included"].startswith("Muilla organisaatioilla voi olla")


def test_the_json_export_is_audited(worker, case):
    export_json(worker, case)

    [event] = events("client.export", case.client)
    assert (event.membership, event.details) == (worker, {"format": "json"})


def test_the_printable_export_shows_the_full_identity_code_and_not_what_is_withheld(
    worker, case, code, notes
):
    response = client_as(worker).get(f"/clients/{case.client.public_id}/export/", **EN)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    assert "Data held by Polku about Aino Asiakas" in page
    assert code in page
    assert "Oulun muistiinpano" in page
    assert "Espoon muistiinpano" not in page
    assert "Other organisations may hold records about the client that this export does not include" in page
    assert "Espoon kaupunki (testi): 1" not in page
    [event] = events("client.export", case.client)
    assert event.details == {"format": "html"}


def test_the_export_link_is_offered_only_to_the_personal_worker(worker, case, colleague):
    services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(1))

    assert "Export the client's data" in text(
        client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)
    )
    assert "/export/" not in client_as(colleague).get(f"/clients/{case.client.public_id}/").content.decode()


@pytest.mark.parametrize("url", ["export/", "export.json"])
def test_a_team_nurse_gets_404_for_the_export(worker, case, colleague, url):
    # Other team members ask the personal worker; the rule hides the export from them (404, not 403).
    services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(1))

    response = client_as(colleague).get(f"/clients/{case.client.public_id}/{url}")

    assert response.status_code == 404
    assert not events("client.export")
    [refusal] = events("permission.refused", case.client)
    assert (refusal.membership, refusal.details["action"]) == (colleague, "client.export")


def test_a_personal_worker_of_another_organisation_exports_only_their_own_case(worker, case, code, outsider):
    make_case_after_break_glass(by=outsider, client=case.client)

    response = export_json(outsider, case)

    assert response.status_code == 200
    exported = json.loads(response.content)["cases"]
    assert [c["unit"] for c in exported] == [f"{outsider.unit.organisation.name}: {outsider.unit.name}"]


def test_the_export_runs_the_same_queries_with_one_case_and_with_three(worker, oulu, case, code):
    browser = client_as(worker)
    browser.get(f"/clients/{case.client.public_id}/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(f"/clients/{case.client.public_id}/export.json")
        assert response.status_code == 200
        return len(captured.captured_queries)

    with_one = queries()
    for _ in range(2):
        make_client(by=make_membership(unit=make_unit(organisation=oulu)), identity_code=code)
    with_three = queries()

    assert with_one == EXPORT_QUERIES
    assert with_three == EXPORT_QUERIES


# An ISO 8601 moment written in UTC (as the database keeps it) rather than in Finnish time.
UTC_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)")


def test_every_moment_in_the_export_is_in_finnish_time(worker, case, notes):
    exported = export_json(worker, case)
    raw = exported.content.decode()
    data = json.loads(raw)
    assert UTC_MOMENT.search(raw) is None
    # Helsinki is UTC+2 in winter and UTC+3 in summer.
    assert data["exported_at"].endswith(("+02:00", "+03:00"))
    assert all(entry["at"].endswith(("+02:00", "+03:00")) for entry in data["timeline"])
