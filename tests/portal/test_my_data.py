"""My data: the client downloads their own data, the staff export (`clients.export`) with the client
themself as the reader: their own data only, every organisation's records (the consent rules protect the
client's data from other organisations, not from the client), the same sections as staff read, audited on
the basis "the client themself", and a 404 with an audited refusal for another client's address."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.audit.models import AuditEvent
from polku.clients import identity
from polku.clients import services as client_services
from polku.clients.models import Register
from tests.clients.test_consent import consent, days_ago
from tests.conftest import client_as
from tests.factories import make_case
from tests.portal.test_pages import page, portal_as
from tests.queries import AUDIT_EVENT

pytestmark = pytest.mark.django_db

ESPOO_NOTE = "Espoon työhönvalmentajan muistiinpano"


def json_url(client) -> str:
    return f"/portal/my-data/{client.public_id}/download.json"


def page_url(client) -> str:
    return f"/portal/my-data/{client.public_id}/"


def my_data(client) -> dict:
    response = portal_as(client).get(json_url(client))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="polku-my-data.json"'
    assert "no-store" in response["Cache-Control"]
    return json.loads(response.content)


def test_my_data_is_reachable_from_the_portal_in_three_languages_without_the_identity_code_in_an_address(
    case,
):
    browser = portal_as(case.client)
    headings = {"fi": "Omat tietoni", "sv": "Mina uppgifter", "en": "My data"}
    for language, heading in headings.items():
        home = page(browser.get("/portal/home/", HTTP_ACCEPT_LANGUAGE=language))
        assert "/portal/my-data/" in home and heading in home
        landing = page(browser.get("/portal/my-data/", HTTP_ACCEPT_LANGUAGE=language))
        assert heading in landing and f'lang="{language}"' in landing
        assert json_url(case.client) in landing and page_url(case.client) in landing
    code = identity.decrypt(case.client.identity_code_encrypted)
    assert code not in page(browser.get("/portal/my-data/"))  # only in the data itself, never in a link
    shown = page(browser.get(page_url(case.client), HTTP_ACCEPT_LANGUAGE="en"))
    assert code in shown and "Data held by Polku about" in shown
    # Nor in what the audit log recorded of these requests.
    assert all(code not in json.dumps([e.details, e.object_id]) for e in AuditEvent.objects.all())


def test_i_get_only_my_own_data_with_every_organisations_records(case, worker, espoo_member, note):
    """The Espoo note is not disclosed to Oulu (no consent), so the Oulu worker's export leaves it out;
    the client is its data subject and gets it."""
    client_services.record_contact(
        case=case,
        by=espoo_member,
        kind="phone",
        happened_on=days_ago(1),
        note=ESPOO_NOTE,
        register=Register.EMPLOYMENT,
    )
    other = make_case(by=worker, first_names="Toinen", last_name="Naapurinen").client
    client_services.record_contact(
        case=other.cases.get(),
        by=worker,
        kind="meeting",
        happened_on=days_ago(1),
        note="Toisen muistiinpano",
        register=Register.SOCIAL,
    )
    data = my_data(case.client)
    assert data["client"]["id"] == str(case.client.public_id)
    assert data["client"]["identity_code"] == identity.decrypt(case.client.identity_code_encrypted)
    assert data["exported_by"]["name"] == case.client.full_name
    notes = {contact["note"] for contact in data["contacts"]}
    assert notes == {note.note, ESPOO_NOTE}
    text = json.dumps(data, ensure_ascii=False)
    assert "Toisen muistiinpano" not in text and str(other.public_id) not in text
    assert other.last_name not in text
    staff = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)
    assert ESPOO_NOTE not in json.dumps(staff, ensure_ascii=False)


def test_the_download_has_the_staff_exports_sections_and_records(case, worker, note):
    """With every record the worker's own organisation's, the client's download and the personal
    worker's export hold the same data; only who exported it, the access log (the download itself is in
    it) and the closing sentence differ."""
    staff = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)
    mine = my_data(case.client)
    assert set(mine) == set(staff)
    assert [(s["key"], s["title"]) for s in mine["sections"]] == [
        (s["key"], s["title"]) for s in staff["sections"]
    ]
    differ = {"exported_at", "exported_by", "access_log", "not_included"}
    assert {key: mine[key] for key in set(mine) - differ} == {key: staff[key] for key in set(staff) - differ}
    assert mine["not_included"] != staff["not_included"]
    # The printable page shows the same sections.
    shown = page(portal_as(case.client).get(page_url(case.client)))
    for section in mine["sections"]:
        assert section["title"] in shown
    assert note.note in shown


def test_the_download_is_audited_with_the_basis_the_client_themself(case):
    browser = portal_as(case.client)
    browser.get(json_url(case.client))
    browser.get(page_url(case.client))
    events = AuditEvent.objects.filter(action="portal.my_data.download").order_by("id")
    assert [event.details["format"] for event in events] == ["json", "html"]
    for event in events:
        assert event.client_id == case.client.public_id and event.membership_id is None
        assert event.basis == {"kind": "client"}
        assert event.details["actor"]["name"] == case.client.full_name
    # The client reads the download in who has viewed my data, with its basis.
    log = page(browser.get("/portal/access-log/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Downloaded their own data in their own Polku" in log and "The client themself" in log


def test_another_clients_session_gets_404_and_an_audited_refusal(case, worker):
    other = make_case(by=worker).client
    browser = portal_as(other)
    for url in (json_url(case.client), page_url(case.client)):
        response = browser.get(url)
        assert response.status_code == 404
        assert case.client.last_name not in response.content.decode()
    refusals = AuditEvent.objects.filter(action="portal.refused")
    assert refusals.count() == 2
    assert {event.client_id for event in refusals} == {case.client.public_id}  # in the owner's report
    assert {event.details["actor"]["name"] for event in refusals} == {other.full_name}
    assert {event.basis["kind"] for event in refusals} == {"refused"}
    assert not AuditEvent.objects.filter(action="portal.my_data.download").exists()
    # An id that does not exist: the same 404, audited in the client's own report.
    assert browser.get(f"/portal/my-data/{uuid.uuid4()}/download.json").status_code == 404
    assert AuditEvent.objects.filter(action="portal.refused", client_id=other.public_id).count() == 1
    # The other client's own download is theirs.
    assert my_data(other)["client"]["id"] == str(other.public_id)


def test_a_staff_session_does_not_get_a_clients_download(case, worker):
    response = client_as(worker).get(json_url(case.client))
    assert response.status_code == 302 and response["Location"] == "/portal/"


# The session and its client; the cases with their status and worker histories and teams, contacts,
# consents and timeline (clients.export); one query for each section other apps add (questionnaire
# answers, support needs, assessments, service plans, referrals, placements, IPS periods: their contents
# only when there are any); the client's own entries in their Polku (messages, own ratings, own marks:
# three); the access log; and the download's audit event. None of the staff export's reads of the
# viewer's team, consents or hidden records.
MY_DATA_QUERIES = 20 + AUDIT_EVENT


def test_the_download_runs_a_fixed_number_of_queries(case, worker, espoo_member, note, oulu, espoo):
    browser = portal_as(case.client)
    browser.get("/portal/home/")  # the first request refreshes the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(json_url(case.client)).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for number in range(5):
        client_services.record_contact(
            case=case,
            by=espoo_member,
            kind="phone",
            happened_on=days_ago(number + 1),
            note=f"{number}",
            register=Register.EMPLOYMENT,
        )
        consent(case, worker, oulu, espoo, purpose=f"Tarkoitus {number}")
    client_services.close_case(case=case, by=worker, outcome="studies")
    assert queries() == few == MY_DATA_QUERIES


def test_my_messages_and_own_entries_are_in_my_download_and_in_the_team_members_export(
    case, worker, outsider, django_capture_on_commit_callbacks
):
    """The portal's own records are the client's data too: every one in the client's download; in the
    staff export, those of the cases whose team the exporting worker is on."""
    from tests.portal.test_plan import agreed_plan_with_my_action

    plan = agreed_plan_with_my_action(case)
    goal = plan.versions.get().goals.get()
    action = goal.actions.get(responsible="client")
    browser = portal_as(case.client)
    browser.post("/portal/messages/", {"text": "Voinko tulla torstaina?"})
    client_as(worker).post(f"/clients/cases/{case.public_id}/messages/", {"text": "Torstai käy."})
    browser.post(f"/portal/plan/goals/{goal.public_id}/rate/", {"level": "1", "note": "Menee hyvin"})
    browser.post(f"/portal/plan/actions/{action.public_id}/", {"done": "1", "comment": "Kävin"})

    mine = {record["kind"]: record for record in my_data(case.client)["own_polku"]}
    assert set(mine) == {"message", "own_goal_rating", "own_action_mark"}
    texts = [r["text"] for r in my_data(case.client)["own_polku"] if r["kind"] == "message"]
    assert texts == ["Voinko tulla torstaina?", "Torstai käy."]
    assert (mine["own_goal_rating"]["level"], mine["own_goal_rating"]["goal"]) == (1, goal.text)
    assert (mine["own_action_mark"]["done"], mine["own_action_mark"]["action"]) == (True, action.what)
    staff = json.loads(client_as(worker).get(f"/clients/{case.client.public_id}/export.json").content)
    assert staff["own_polku"] == my_data(case.client)["own_polku"]
