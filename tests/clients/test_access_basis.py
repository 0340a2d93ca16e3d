"""The basis of every access (Act 703/2023): each audit event about a client says why it was allowed, the
access report shows it in the reader's language, and `selectors.access_events` lists the rows."""

from django.utils import translation

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import selectors, services
from tests.clients.conftest import EN, days_ago, events, text
from tests.conftest import client_as
from tests.factories import make_membership

REASON = "Asiakas asioi Espoon toimipisteessä, tarvitaan yhteystiedot."


def view_of(membership, world) -> AuditEvent:
    return [e for e in events("client.view", world.client) if e.membership == membership][-1]


def test_a_team_members_read_names_the_case_and_role_and_the_consent_that_disclosed_records(world):
    client_as(world.worker).get(world.url("detail"))

    basis = view_of(world.worker, world).basis
    assert basis == {
        "kind": "team",
        "case": str(world.case.public_id),
        "role": Role.PERSONAL_WORKER,
        # Espoo's employment records may show to Oulu under the client's consent.
        "consents": [str(world.consent.public_id)],
    }


def test_a_nurse_on_the_team_reads_as_a_nurse_of_that_case(world, colleague):
    client_as(colleague).get(world.url("detail"))

    basis = view_of(colleague, world).basis
    assert (basis["kind"], basis["case"], basis["role"]) == ("team", str(world.case.public_id), Role.NURSE)


def test_a_read_through_break_the_glass_names_the_reason(world, outsider):
    browser = client_as(outsider)
    browser.post(world.url("break_glass"), {"reason": REASON})
    browser.get(world.url("detail"))

    assert view_of(outsider, world).basis == {"kind": "break_glass", "reason": REASON}
    [glass] = events("client.break_glass", world.client)
    assert glass.basis == {"kind": "break_glass", "reason": REASON}


def test_a_refusal_says_nothing_was_allowed_even_for_a_team_member(world, colleague):
    client_as(colleague).get(world.url("access_report"))

    [refusal] = events("permission.refused", world.client)
    assert refusal.basis == {"kind": "refused", "rule": "client.access_report"}


def test_a_list_page_names_the_rule_of_the_list(world):
    client_as(world.worker).get("/caseload/")

    [listed] = AuditEvent.objects.filter(action="caseload.view")
    assert listed.basis == {"kind": "rule", "rule": "caseload.view"}


def test_a_service_called_outside_a_request_reads_the_basis_itself(world):
    services.record_contact(
        case=world.case,
        by=world.worker,
        kind="meeting",
        happened_on=days_ago(1),
        note="Tapaaminen.",
        register="employment",
    )

    [event] = events("contact.record", world.client)
    assert (event.basis["kind"], event.basis["case"]) == ("team", str(world.case.public_id))


def test_the_access_report_shows_the_basis_in_the_readers_language(world, colleague, outsider):
    client_as(colleague).get(world.url("detail"))
    client_as(outsider).post(world.url("break_glass"), {"reason": REASON})
    client_as(outsider).get(world.url("detail"))

    english = client_as(world.worker).get(world.url("access_report"), **EN)
    finnish = client_as(world.worker).get(world.url("access_report"), HTTP_ACCEPT_LANGUAGE="fi")

    page = text(english)
    assert "Member of the case team (Nurse)" in page
    assert f"Opened outside the case teams for a few hours: {REASON}" in page
    assert "Member of the case team (Personal worker)" in page  # the worker opening the case
    assert "Allowed for this task: Viewed this access report" not in page  # the report's own read: team
    bases = [row.basis for row in english.context["rows"]]
    assert "–" not in bases
    assert "Asiakkuuden tiimin jäsen (Sairaanhoitaja)" in text(finnish)


def test_access_events_lists_basis_person_role_organisation_action_and_time(world, colleague):
    client_as(colleague).get(world.url("detail"))

    with translation.override("en"):
        page = selectors.access_events(world.client, viewer=world.worker)
    row = next(row for row in page.object_list if row.event.membership == colleague)

    assert row.basis.startswith("Member of the case team")
    assert row.role == "Nurse"
    assert row.organisation == colleague.unit.organisation.name
    assert row.action == "Viewed the client's data"
    assert str(colleague.user) in row.person
    assert row.at == row.event.at


def test_access_events_for_the_client_themself_lists_every_organisations_part(world, outsider):
    client_as(outsider).post(world.url("break_glass"), {"reason": REASON})
    espoo_worker = make_membership(unit=outsider.unit, role=Role.PERSONAL_WORKER)
    client_as(espoo_worker).get(world.url("detail"))  # refused: Espoo's too

    everything = selectors.access_events(world.client, viewer=None, size=500).object_list

    assert {row.event.organisation_id for row in everything} >= {
        world.worker.unit.organisation_id,
        outsider.unit.organisation_id,
    }
