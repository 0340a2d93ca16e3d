"""The client overview (/clients/<id>/), the identity code shown on request, and the basic details form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts.models import Role
from polku.clients import identity, services
from polku.clients.models import Client, TimelineEntry
from polku.screening.services import screen_client
from tests.clients.conftest import EN, days_ago, events, open_case_for, stored_state, text, today
from tests.conftest import client_as
from tests.factories import (
    make_case_after_break_glass,
    make_membership,
    make_organisation,
    synthetic_identity_code,
)
from tests.instruments.conftest import record as record_questionnaire
from tests.queries import AUDIT_EVENT

# Measured: session, the user with their active memberships, the client, the viewer's facts about the client (on which
# case teams, personal worker, break-the-glass: clients.access.ClientFacts, one query for every rule on the page),
# the break-the-glass reason, cases, audit event (AUDIT_EVENT, tests/queries.py), team, consents, timeline page
# (no count), the consents valid today (read once, then every
# register record on the page is filtered by them). No session save: the expiry is fresh. Then the
# panels other apps contribute (clients.extensions.Panel): the open safety alerts and the questionnaire
# scores (instruments), the support needs with their evidence (screening), the work ability assessments
# and the service plan (plans), referrals (services), placements and IPS periods (employment), one query
# each but two for the needs (more only when there is something to show).
OVERVIEW_QUERIES = (
    13 + AUDIT_EVENT + 5 + 1 + 3
)  # + 1: the client's own Polku (portal): messages, goal ratings and action marks in one query; + 3: the
# questionnaires asked of the client, the published questionnaires to ask, the draft plan version the
# client may agree


@pytest.fixture
def code() -> str:
    return synthetic_identity_code()


@pytest.fixture
def case(worker, code):
    return open_case_for(
        worker, identity_code=code, first_names="Aino Maria", last_name="Asiakas", phone="040 123 4567"
    )


def detail(case) -> str:
    return f"/clients/{case.client.public_id}/"


# --- The overview ------------------------------------------------------------------------------------


def test_the_overview_shows_the_client_their_case_team_and_timeline(worker, case):
    response = client_as(worker).get(detail(case), **EN)

    assert response.status_code == 200
    page = text(response)
    assert "Aino Maria Asiakas" in page
    assert "040 123 4567" in page
    assert "Current case" in page
    assert "Identified" in page
    assert "PALO-tiimi" in page
    assert "Case opened in PALO-tiimi" in page
    assert response.context["current"] == case
    assert [period.membership for period in response.context["team"]] == [worker]
    for link in ("Change status", "Plan the next step", "Hand over", "Close the case", "Record a contact"):
        assert link in page


def test_the_overview_shows_the_identity_code_masked_and_never_in_full(worker, case, code):
    response = client_as(worker).get(detail(case), **EN)

    page = response.content.decode()
    assert identity.mask(code) in page
    assert code not in page
    assert code[7:] not in page  # not even the hidden part on its own


def test_viewing_the_overview_is_audited_with_the_client(worker, case):
    client_as(worker).get(detail(case))

    [event] = events("client.view", case.client)
    assert (event.membership, event.reason, event.object_id) == (worker, "", str(case.client.public_id))


def test_the_overview_pages_the_timeline_20_entries_at_a_time(worker, case):
    for n in range(24):
        services.plan_next_step(case=case, step=f"Vaihe {n}", due_on=today() + timedelta(days=n), by=worker)

    first = client_as(worker).get(detail(case), **EN)
    second = client_as(worker).get(detail(case) + "?page=2", **EN)

    assert len(first.context["entries"].object_list) == 20
    assert len(second.context["entries"].object_list) == 5
    assert "Vaihe 23" in text(first)
    assert "Case opened in PALO-tiimi" in text(second)
    assert "Page 1" in text(first) and "Older entries" in text(first) and "Newer entries" not in text(first)
    assert "Newer entries" in text(second) and "Older entries" not in text(second)


def test_a_timeline_entry_shows_when_who_whose_record_what_and_the_note_escaped(worker, case):
    services.record_contact(
        case=case,
        by=worker,
        kind="phone",
        happened_on=today(),
        note="Soitto <b>sovittu</b>\ntoinen rivi & loppu",
        register="employment",
    )

    response = client_as(worker).get(detail(case), **EN)

    html = response.content.decode()
    [newest] = response.context["entries"].object_list[:1]
    at = timezone.localtime(newest.at)
    assert f'<time datetime="{at.isoformat()}">{at.day}.{at.month}.{at.year} {at:%H:%M}</time>' in html
    user = worker.user
    where = f"{worker.unit.name}, {worker.unit.organisation.name}"
    assert f"· {user.first_name} {user.last_name} ({where})</p>" in html
    assert '<p class="polku-timeline__label">Phone call (Employment services)</p>' in html
    assert "Soitto &lt;b&gt;sovittu&lt;/b&gt;<br>toinen rivi &amp; loppu" in html
    assert "<b>sovittu</b>" not in html


def test_a_page_past_the_end_of_the_timeline_offers_the_way_back(worker, case):
    page = text(client_as(worker).get(detail(case) + "?page=9", **EN))
    assert "No older entries." in page
    assert "Back to the newest" in page


def test_a_page_number_that_is_not_one_shows_the_newest_entries(worker, case):
    response = client_as(worker).get(detail(case) + "?page=x%00", **EN)
    assert response.status_code == 200
    assert response.context["entries"].number == 1


def test_another_organisations_contact_note_shows_only_under_the_clients_consent(
    worker, case, outsider, espoo, oulu
):
    services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(10))
    services.record_contact(
        case=case,
        by=outsider,
        kind="meeting",
        happened_on=days_ago(1),
        note="Espoon muistiinpano",
        register="employment",
    )

    without = text(client_as(worker).get(detail(case), **EN))
    services.record_consent(
        client=case.client,
        by=worker,
        discloser=espoo,
        recipient=oulu,
        covers_employment=True,
        purpose="Yhteistyö",
        valid_from=today(),
        method="written",
    )
    with_consent = text(client_as(worker).get(detail(case), **EN))

    assert "Espoon muistiinpano" not in without
    assert "Espoon muistiinpano" in with_consent
    assert "Consent recorded: Espoon kaupunki (testi) to Oulun kaupunki (testi)" in with_consent


def test_a_team_member_from_another_organisation_sees_the_teams_case_but_not_the_other_registers(
    worker, case, outsider
):
    services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(10))
    services.record_contact(
        case=case,
        by=worker,
        kind="meeting",
        happened_on=days_ago(1),
        note="Oulun muistiinpano",
        register="social",
    )

    response = client_as(outsider).get(detail(case), **EN)

    assert response.status_code == 200
    assert "Oulun muistiinpano" not in text(response)
    assert "Record a contact" in text(response)
    assert "Change status" not in text(response)


def test_the_current_case_is_the_viewers_own_when_two_units_have_the_client(worker, case, code, outsider):
    make_case_after_break_glass(by=outsider, client=case.client, opened_on=days_ago(10))  # Espoo's own case

    response = client_as(worker).get(detail(case), **EN)

    assert response.context["current"] == case
    assert response.context["can_manage"] is True


@pytest.mark.parametrize("count", [1, 25])
def test_the_overview_runs_the_same_queries_with_one_and_with_25_of_everything(
    worker, oulu, count, django_assert_num_queries
):
    case = open_case_for(worker)
    for n in range(count):
        member = make_membership(unit=worker.unit, role=Role.NURSE)
        services.add_team_member(case=case, member=member, by=worker, started_on=days_ago(100))
        services.record_contact(
            case=case,
            by=member,
            kind="meeting",
            happened_on=days_ago(n + 1),
            note=f"Käynti {n}",
            register="health",
        )
        services.record_consent(
            client=case.client,
            by=worker,
            discloser=make_organisation(),
            recipient=oulu,
            covers_health=True,
            purpose="Hoito",
            valid_from=days_ago(5),
            method="written",
        )
        record_questionnaire(case, "was", n % 11)
        record_questionnaire(case, "phq9", 1, **{"9": "1"})  # each raises a safety alert
    facts = {"phq9.score": 12, "was.score": 3, "gad7.score": 15, "age": 55, "unemployed_months": 30}
    screen_client(client=case.client, case=case, facts=facts, by=worker, source_description="Testi")
    browser = client_as(worker)
    browser.get(detail(case))  # the first request of a session records its MFA check

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = browser.get(detail(case))

    assert len(response.context["team"]) == count + 1
    assert len(response.context["consents"]) == count
    visible = TimelineEntry.objects.filter(client=case.client).count()  # all of the worker's organisation
    assert len(response.context["entries"].object_list) == min(visible, 20)
    panels = {
        rendered.key: rendered.panel for placed in response.context["panels"].values() for rendered in placed
    }
    assert len(panels["questionnaires"]["overview"].series) == 2
    assert len(panels["safety_alerts"]["alerts"]) == count


# --- The identity code, on request ---------------------------------------------------------------------


def test_the_full_identity_code_is_shown_on_request_and_never_cached(worker, case, code):
    response = client_as(worker).post(f"/clients/{case.client.public_id}/identity-code/", **EN)

    assert response.status_code == 200
    assert code in response.content.decode()
    assert "This viewing of the identity code was recorded." in text(response)
    assert "no-store" in response["Cache-Control"]
    [event] = events("client.identity_code.reveal", case.client)
    assert event.membership == worker
    assert code not in str(event.details) + event.reason + event.object_id


def test_htmx_gets_only_the_code_to_swap_into_the_page(worker, case, code):
    response = client_as(worker).post(
        f"/clients/{case.client.public_id}/identity-code/", HTTP_HX_REQUEST="true"
    )

    fragment = response.content.decode()
    assert fragment.startswith(f'<span id="identity-code" data-testid="identity-code">{code}</span>')
    assert "<html" not in fragment
    assert "no-store" in response["Cache-Control"]


def test_a_team_nurse_may_see_the_identity_code_too(worker, case, colleague, code):
    services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(1))

    response = client_as(colleague).post(f"/clients/{case.client.public_id}/identity-code/")

    assert response.status_code == 200
    assert code in response.content.decode()


# --- Basic details ----------------------------------------------------------------------------------


def test_the_edit_page_shows_the_current_details_and_is_an_audited_read(worker, case, code):
    response = client_as(worker).get(f"/clients/{case.client.public_id}/edit/", **EN)

    assert response.status_code == 200
    page = text(response)
    assert 'value="Aino Maria"' in page
    assert 'value="040 123 4567"' in page
    assert code not in page
    [event] = events("client.view", case.client)
    assert event.details == {"page": "edit"}


def test_saving_the_details_stores_them_and_records_the_change(worker, case):
    response = client_as(worker).post(
        f"/clients/{case.client.public_id}/edit/",
        {
            "first_names": "Aino Maria",
            "last_name": "Uusi-Asiakas",
            "municipality": "091",
            "languages": ["fi", "other"],
            "other_language": "viittomakieli",
            "phone": "040 765 4321",
            "postal_code": "00100",
            "needs_interpreter": "on",
            "interpreter_language": "viittomakieli",
        },
        follow=True,
        **EN,
    )

    assert response.redirect_chain == [(detail(case), 302)]
    assert "Basic details saved." in text(response)
    client = Client.objects.get()
    assert (client.last_name, client.municipality_id, client.phone) == ("Uusi-Asiakas", "091", "040 765 4321")
    assert client.languages == ["fi", "other"]
    [update] = events("client.update", case.client)
    assert "last_name" in update.details["fields"]
    assert TimelineEntry.objects.filter(kind="client.details_changed").count() == 1


def test_bad_details_show_the_error_and_change_nothing(worker, case):
    before = stored_state()

    response = client_as(worker).post(
        f"/clients/{case.client.public_id}/edit/",
        {
            "first_names": "Aino",
            "last_name": "",
            "municipality": "564",
            "postal_code": "901",
            "needs_interpreter": "on",
        },
        **EN,
    )

    page = text(response)
    assert "A postal code has five digits, for example 90100." in page
    assert "Name the language the interpreter is needed for." in page
    assert stored_state() == before
    assert not events("client.update")


def test_bad_details_answer_400_like_the_other_forms(worker, case):
    response = client_as(worker).post(f"/clients/{case.client.public_id}/edit/", {"first_names": ""})

    assert response.status_code == 400


def test_a_team_member_whose_period_starts_tomorrow_cannot_open_the_edit_page_yet(worker, case, colleague):
    services.add_team_member(case=case, member=colleague, by=worker, started_on=today() + timedelta(days=1))

    assert client_as(colleague).get(detail(case)).status_code == 404
    response = client_as(colleague).get(f"/clients/{case.client.public_id}/edit/")

    assert response.status_code == 404
