"""Break-the-glass stays temporary: a worker of another organisation who opens a client's data for a few
hours may open a case of their own only as its own confirmed, audited step that the client's personal
workers see; from then on the access report and the export show them their own organisation's part only;
and the caseload search tells them no more than the documented break-the-glass offer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.models import OrganisationKind, Role
from polku.clients import services
from polku.clients.models import BreakGlassAccess, Case, TimelineEntry
from tests.clients.conftest import EN, days_ago, events, open_case_for, stored_state, text
from tests.conftest import client_as
from tests.factories import make_membership, make_organisation, make_unit, make_user, synthetic_identity_code

GLASS = "Asiakas asioi Espoon toimipisteessä, oma työntekijä ei tavoitettavissa."
CASE_REASON = "Asiakas muutti Espooseen ja jatkaa palvelua meillä."


class Story:
    """The issue's scenario: an Oulu client with a wellbeing county nurse on the team and a health consent
    from the county to Oulu; an Espoo personal worker states a reason (8 hours), opens an Espoo case."""

    def __init__(self, worker, outsider, oulu, espoo) -> None:
        self.worker, self.espoo_worker, self.oulu, self.espoo = worker, outsider, oulu, espoo
        self.county = make_organisation(
            name="Pohjois-Pohjanmaan hyvinvointialue (testi)",
            kind=OrganisationKind.WELLBEING_COUNTY,
            municipality_code="",
        )
        self.nurse = make_membership(
            user=make_user(first_name="Niina", last_name="Nurmi"),
            unit=make_unit(organisation=self.county, name="Terveysasema"),
            role=Role.NURSE,
        )
        self.code = synthetic_identity_code()
        self.case = open_case_for(worker, identity_code=self.code, first_names="Aino", last_name="Asiakas")
        self.client = self.case.client
        services.add_team_member(case=self.case, member=self.nurse, by=worker, started_on=days_ago(30))
        self.consent = services.record_consent(
            client=self.client,
            by=worker,
            discloser=self.county,
            recipient=oulu,
            covers_health=True,
            purpose="Työkyvyn arviointi",
            valid_from=days_ago(20),
            method="written",
        )
        client_as(self.nurse).get(self.url("detail"))  # the county nurse's view: a health-care relationship

    def url(self, name: str) -> str:
        return {
            "detail": f"/clients/{self.client.public_id}/",
            "glass": f"/clients/{self.client.public_id}/break-the-glass/",
            "open_case": f"/clients/{self.client.public_id}/cases/new/",
            "open_from_glass": f"/clients/{self.client.public_id}/cases/new-after-break-the-glass/",
            "access_report": f"/clients/{self.client.public_id}/access-report/",
            "export_json": f"/clients/{self.client.public_id}/export.json",
            "export": f"/clients/{self.client.public_id}/export/",
        }[name]

    def break_glass(self, who=None):
        return client_as(who or self.espoo_worker).post(self.url("glass"), {"reason": GLASS})

    def open_from_glass(self, who=None, **changes):
        data = {
            "source": "self_referral",
            "opened_on": timezone.localdate().isoformat(),
            "reason": CASE_REASON,
            "confirm": "on",
            **changes,
        }
        return client_as(who or self.espoo_worker).post(self.url("open_from_glass"), data, **EN)

    def window_ends(self) -> None:
        BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def story(worker, outsider, oulu, espoo) -> Story:
    return Story(worker, outsider, oulu, espoo)


# --- Opening a case from break-the-glass ---------------------------------------------------------------


def test_the_ordinary_case_opening_is_refused_through_break_the_glass(story):
    story.break_glass()
    before = stored_state()

    shown = client_as(story.espoo_worker).get(story.url("open_case"))
    posted = client_as(story.espoo_worker).post(
        story.url("open_case"), {"source": "self_referral", "opened_on": timezone.localdate().isoformat()}
    )

    assert (shown.status_code, posted.status_code) == (404, 404)
    assert stored_state() == before
    refused = [e.details["action"] for e in events("permission.refused", story.client)]
    assert refused == ["case.open", "case.open"]


def test_the_overview_through_the_glass_offers_its_own_step_not_the_ordinary_one(story):
    story.break_glass()

    page = text(client_as(story.espoo_worker).get(story.url("detail"), **EN))

    assert story.url("open_from_glass") in page
    assert story.url("open_case") not in page


def test_the_step_asks_for_a_reason_and_a_confirmation_and_stores_nothing_without(story):
    story.break_glass()
    before = stored_state()

    shown = client_as(story.espoo_worker).get(story.url("open_from_glass"), **EN)
    unconfirmed = story.open_from_glass(confirm="")
    no_reason = story.open_from_glass(reason="")

    assert shown.status_code == 200
    assert "The client's personal workers see on the client's timeline who opened the case" in text(shown)
    assert (unconfirmed.status_code, no_reason.status_code) == (400, 400)
    assert "Confirm that your unit opens a case for the client." in text(unconfirmed)
    assert stored_state() == before


def test_the_step_opens_the_case_audited_with_its_reason_and_the_glass_it_came_from(story):
    story.break_glass()

    response = story.open_from_glass()

    assert response.status_code == 302
    case = Case.objects.get(unit=story.espoo_worker.unit)
    assert (case.client, case.personal_worker) == (story.client, story.espoo_worker)
    [event] = events("case.open_from_break_glass", story.client)
    assert (event.membership, event.reason) == (story.espoo_worker, CASE_REASON)
    assert event.basis == {"kind": "break_glass", "reason": GLASS}


def test_the_clients_personal_worker_sees_who_opened_what_when_and_why(story):
    story.break_glass()
    story.open_from_glass()

    page = text(client_as(story.worker).get(story.url("detail"), **EN))

    assert (
        "Case opened in Työkykytiimi (Espoon kaupunki (testi)) after opening the data outside the case teams"
        in page
    )
    assert CASE_REASON in page
    entry = TimelineEntry.objects.get(kind="case.opened_from_break_glass")
    assert (entry.actor, entry.case, entry.register) == (story.espoo_worker, None, "")


@pytest.mark.parametrize("persona", ["team_member", "no_glass", "nurse_with_glass_rule"])
def test_only_a_personal_worker_seeing_the_client_through_the_glass_may_take_the_step(story, persona):
    who = {
        "team_member": story.worker,  # on the team: the ordinary case.open
        "no_glass": make_membership(unit=story.espoo_worker.unit, role=Role.PERSONAL_WORKER),
        "nurse_with_glass_rule": make_membership(unit=story.espoo_worker.unit, role=Role.NURSE),
    }[persona]
    before = stored_state()

    assert client_as(who).get(story.url("open_from_glass")).status_code == 404
    assert story.open_from_glass(who).status_code == 404
    assert stored_state() == before


def test_after_the_window_the_step_is_gone_too(story):
    story.break_glass()
    story.window_ends()

    assert story.open_from_glass().status_code == 404
    assert not Case.objects.filter(unit=story.espoo_worker.unit).exists()


# --- The scenario: after the window, the Espoo worker reads their own part only ----------------


def opened_and_window_over(story) -> None:
    story.break_glass()
    client_as(story.espoo_worker).get(story.url("detail"))
    story.open_from_glass()
    story.window_ends()


def test_after_the_window_the_espoo_access_report_shows_only_espoos_part(story):
    opened_and_window_over(story)

    response = client_as(story.espoo_worker).get(story.url("access_report"), **EN)

    assert response.status_code == 200
    page = text(response)
    assert {e.organisation_id for e in response.context["events"]} == {story.espoo.pk}
    assert "Niina Nurmi" not in page
    assert "hyvinvointialue" not in page
    assert "This report shows your own organisation's part only." in page


def test_after_the_window_the_espoo_export_holds_only_espoos_part(story):
    opened_and_window_over(story)

    exported = client_as(story.espoo_worker).get(story.url("export_json")).json()

    assert {row["organisation"] for row in exported["access_log"]} == {story.espoo.name}
    assert exported["consents"] == []  # the county's consent to Oulu is theirs
    assert "withheld" not in exported  # counts of others' records would tell of their care
    assert [case["unit"] for case in exported["cases"]] == [f"{story.espoo.name}: Työkykytiimi"]
    assert "hyvinvointialue" not in str(exported)
    printable = text(client_as(story.espoo_worker).get(story.url("export"), **EN))
    assert "hyvinvointialue" not in printable


def test_the_overview_shows_espoo_only_consents_it_is_part_of(story):
    opened_and_window_over(story)

    page = text(client_as(story.espoo_worker).get(story.url("detail"), **EN))

    assert "hyvinvointialue" not in page


def test_the_clients_own_personal_worker_still_sees_every_organisations_part(story):
    opened_and_window_over(story)

    report = client_as(story.worker).get(story.url("access_report") + "?page=1", **EN)
    exported = client_as(story.worker).get(story.url("export_json")).json()

    organisations = {e.organisation_id for e in report.context["events"]}
    assert {story.oulu.pk, story.county.pk, story.espoo.pk} <= organisations
    assert "This report shows your own organisation's part only." not in text(report)
    assert {c["discloser"] for c in exported["consents"]} == {story.county.name}
    assert {row["organisation"] for row in exported["access_log"]} >= {story.county.name, story.espoo.name}


def test_a_county_nurse_on_the_team_sees_the_countys_part_only(story):
    """The nurse is not the client's personal worker: not even the report's link is theirs."""
    assert client_as(story.nurse).get(story.url("access_report")).status_code == 404


# --- After break-the-glass: a case exists elsewhere, and whom to contact --------------------------------


def test_through_the_glass_the_worker_is_told_a_case_exists_elsewhere_and_whom_to_contact(story):
    story.break_glass()

    page = text(client_as(story.espoo_worker).get(story.url("detail"), **EN))

    assert "No cases." not in page
    assert "The client has a case in another organisation" in page
    assert "Oulun kaupunki (testi): PALO-tiimi" in page


def test_team_members_are_not_told_of_cases_elsewhere(story):
    page = text(client_as(story.worker).get(story.url("detail"), **EN))

    assert "The client has a case in another organisation" not in page


# --- The caseload search with a whole identity code --------------------------------------------------


def search(membership, code):
    response = client_as(membership).post("/caseload/search/", {"q": code}, follow=True, **EN)
    return (
        response.status_code,
        response.redirect_chain,
        [str(m) for m in response.context["messages"]] if response.context else [],
    )


def test_a_worker_of_another_organisation_who_cannot_break_the_glass_learns_nothing(story, espoo):
    nurse = make_membership(unit=make_unit(organisation=espoo, name="Terveys"), role=Role.NURSE)

    exists = search(nurse, story.code)
    missing = search(nurse, synthetic_identity_code())

    assert exists == missing


def test_a_personal_worker_of_another_organisation_gets_only_the_documented_offer(story):
    exists = search(story.espoo_worker, story.code)
    missing = search(story.espoo_worker, synthetic_identity_code())

    assert exists[1][-1][0] == story.url("glass")
    assert exists[2] == ["This person is a client in Polku but not on your caseload or teams."]
    assert missing[1][-1][0] == "/caseload/"
    assert missing[2] == ["No client on your caseload has this identity code."]
    offer = text(client_as(story.espoo_worker).get(story.url("glass"), **EN))
    assert "Aino" not in offer and "Oulu" not in offer  # the offer itself names nothing of the client
