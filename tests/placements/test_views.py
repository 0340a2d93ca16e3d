"""Placement pages as the worker and the host use them: forms that explain, keep what was typed and
store nothing on bad input; the week's attendance form; lists in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from polku.clients.extensions import CaseloadFlag
from polku.core import plugins
from polku.placements import panels, selectors, services
from polku.placements.models import Attendance, Placement
from tests.conftest import client_as
from tests.factories import make_placement
from tests.placements.conftest import EN, events, open_case_for, text, today
from tests.queries import AUDIT_EVENT, LIST_AUDIT_EVENT


def new_url(case) -> str:
    return f"/cases/{case.public_id}/placements/new/"


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "work_trial",
        "host_unit": "",
        "host_name": "Kahvila Esimerkki Oy",
        "host_unit_name": "Keittiö",
        "supervisor_name": "Pekka Ohjaaja",
        "supervisor_email": "pekka@kahvila.example",
        "supervisor_phone": "040 123 4567",
        "tasks": "Astianpesu",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=30)).isoformat(),
        "days_per_week": "3",
        "hours_per_day": "4.50",
        "goal_1": "Jaksaa neljä tuntia",
        "goal_2": "",
        "goal_3": "Oppii kassan",
    }
    data.update(changes)
    return data


def test_the_worker_starts_a_work_trial_at_an_employer_not_in_polku(case, worker):
    overview = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))
    assert "No work trials or rehabilitative work activity." in overview
    assert new_url(case) in overview

    response = client_as(worker).post(new_url(case), form_data(), **EN)
    placement = Placement.objects.get()
    assert response["Location"] == f"/placements/{placement.public_id}/"
    assert placement.host_label == "Kahvila Esimerkki Oy: Keittiö"
    assert [g.text for g in placement.goals.all()] == ["Jaksaa neljä tuntia", "Oppii kassan"]
    page = text(client_as(worker).get(response["Location"], **EN))
    assert "3 days a week, 4.5 hours a day" in page
    assert "not in Polku" in page
    assert events("placement.view", case.client)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2020-01-01"}, "The end date must be on or after the start date."),
        ({"days_per_week": "7"}, "Choose from 1 to 5 days a week."),
        ({"hours_per_day": "10"}, "Choose from 4 to 8 hours a day."),
        ({"hours_per_day": "4.25"}, "Give the hours in whole or half hours"),
        ({"host_name": ""}, "Choose the host unit in Polku, or type the name of the host organisation"),
        ({"supervisor_email": "ei-osoite"}, "Enter a valid email address."),
    ],
)
def test_bad_input_is_explained_and_kept_and_nothing_is_stored(case, worker, changes, message):
    response = client_as(worker).post(new_url(case), form_data(**changes), **EN)
    page = text(response)
    assert response.status_code == 400
    assert "Check the form" in page
    assert message in page
    assert "Astianpesu" in page  # what was typed stays
    assert not Placement.objects.exists()


def test_choosing_a_host_unit_and_typing_a_name_is_refused(case, worker, host):
    response = client_as(worker).post(new_url(case), form_data(host_unit=host.unit.pk), **EN)
    assert "Either choose a host unit in Polku or type a host's name, not both." in text(response)
    assert not Placement.objects.exists()


def test_the_schedule_limits_are_explained_in_the_help_text(case, worker):
    page = text(client_as(worker).get(new_url(case), **EN))
    assert "Rehabilitative work activity is by law 1–5 days a week and 4–8 hours a day." in page


def test_the_worker_edits_the_placement(placement, worker):
    response = client_as(worker).get(f"/placements/{placement.public_id}/edit/", **EN)
    page = text(response)
    assert 'name="goal_1" value="Jaksaa neljän tunnin päivät"' in page
    assert 'name="goal_2" value="Oppii kassan käytön"' in page
    assert 'name="goal_4"' in page  # the goals kept and two empty rows
    data = form_data(host_unit=placement.host_unit_id, host_name="", tasks="Uudet tehtävät", goal_1="Yksi")
    data.update(goal_2="", goal_3="")
    response = client_as(worker).post(f"/placements/{placement.public_id}/edit/", data, **EN)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.tasks == "Uudet tehtävät"
    assert [g.text for g in placement.goals.all()] == ["Yksi"]


def test_interrupting_asks_for_a_reason_and_confirms(placement, worker):
    url = f"/placements/{placement.public_id}/interrupt/"
    page = text(client_as(worker).get(url, **EN))
    assert "It cannot be undone." in page
    response = client_as(worker).post(url, {"on": today().isoformat(), "reason": ""}, **EN)
    assert response.status_code == 400
    assert placement.__class__.objects.get().interrupted_on is None
    response = client_as(worker).post(url, {"on": today().isoformat(), "reason": "Muutti pois"}, **EN)
    assert response.status_code == 302
    page = text(client_as(worker).get(f"/placements/{placement.public_id}/", **EN))
    assert "Muutti pois" in page
    assert "Interrupted" in page
    assert "Interrupt the placement" not in page


def test_the_week_form_records_each_day_and_shows_the_totals(placement, worker):
    monday = selectors.week_of(placement.starts_on + timedelta(days=7))
    url = f"/placements/{placement.public_id}/attendance/?week={monday.isoformat()}"
    page = text(client_as(worker).get(url, **EN))
    assert "No days recorded yet" in page
    days = {f"day_{(monday + timedelta(days=i)).isoformat()}": "present" for i in range(3)}
    days[f"day_{(monday + timedelta(days=3)).isoformat()}"] = "sick"
    response = client_as(worker).post(url, {"week": monday.isoformat(), **days}, **EN)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?week={monday.isoformat()}")
    assert Attendance.objects.count() == 4
    page = text(client_as(worker).get(response["Location"], **EN))
    assert "75 % (3 of 4 recorded days)" in page
    assert "Previous week" in page and "Next week" in page


def test_future_days_are_shown_but_cannot_be_recorded(placement, worker):
    url = f"/placements/{placement.public_id}/attendance/?week={selectors.week_of(today()).isoformat()}"
    response = client_as(worker).get(url, **EN)
    tomorrow = today() + timedelta(days=1)
    if selectors.week_of(tomorrow) == selectors.week_of(today()):
        assert "A day still to come." in text(response)
    client_as(worker).post(url, {f"day_{tomorrow.isoformat()}": "present"}, **EN)
    assert not Attendance.objects.filter(on=tomorrow).exists()


def test_the_host_enters_attendance_from_their_list(placement, host):
    page = text(client_as(host).get("/placements/hosted/", **EN))
    assert "Aino Asiakas" in page
    assert f"/placements/{placement.public_id}/attendance/" in page
    day = placement.starts_on
    url = f"/placements/{placement.public_id}/attendance/?week={selectors.week_of(day).isoformat()}"
    assert "Back to the placements you host" in text(client_as(host).get(url, **EN))
    client_as(host).post(url, {f"day_{day.isoformat()}": "present"}, **EN)
    assert Attendance.objects.get().recorded_by == host
    listed = events("placement.hosted_list")[0]
    assert listed.details["clients"] == [str(placement.client.public_id)]
    assert events("placement.attendance", placement.client)[0].membership == host


def add_hosted(worker, host, count: int) -> None:
    for n in range(count):
        case = open_case_for(worker, last_name=f"Isännöity{n}")
        make_placement(case=case, by=worker, host_name="", host_unit=host.unit)


# Session, the user with their active memberships, the page count and the page (clients with it), audit event with the clients it listed (LIST_AUDIT_EVENT, tests/queries.py).
HOSTED_QUERIES = 4 + LIST_AUDIT_EVENT


@pytest.mark.parametrize("count", [1, 30])
def test_the_hosts_list_runs_the_same_queries_with_one_and_with_thirty(
    worker, host, count, django_assert_num_queries
):
    add_hosted(worker, host, count)
    browser = client_as(host)
    browser.get("/placements/hosted/")  # the session's first request refreshes its expiry
    with django_assert_num_queries(HOSTED_QUERIES):
        response = browser.get("/placements/hosted/", **EN)
    assert len(response.context["rows"]) == min(count, 25)


def test_the_hosts_list_is_paginated(worker, host):
    add_hosted(worker, host, 26)
    response = client_as(host).get("/placements/hosted/?page=2", **EN)
    assert len(response.context["rows"]) == 1
    assert "Page 2 of 2" in text(response)


@pytest.mark.parametrize("count", [1, 5])
def test_the_overview_panel_reads_all_placements_in_one_query(case, worker, count):
    for _ in range(count):
        make_placement(case=case, by=worker)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        context = panels.placements(case.client, case, worker)
    assert context is not None
    assert len(context["placements"]) == count
    placement_queries = [q for q in queries.captured_queries if "placements_placement" in q["sql"]]
    assert len(placement_queries) == 1


def test_the_caseload_flags_a_placement_without_last_weeks_attendance_in_one_query(
    case, worker, django_assert_num_queries
):
    quiet = make_placement(case=case, by=worker, starts_on=today() - timedelta(days=30))
    other = open_case_for(worker, last_name="Kirjattu")
    noted = make_placement(case=other, by=worker, starts_on=today() - timedelta(days=30))
    last_monday = selectors.week_of(today()) - timedelta(days=7)
    services.record_attendance(placement=noted, by=worker, days={last_monday: "present"})
    with django_assert_num_queries(1):
        flagged = panels.flagged_cases(worker, [case, other])
    assert flagged == {quiet.case_id}
    page = text(client_as(worker).get("/caseload/", **EN))
    assert page.count("Placement: attendance or feedback missing") == 1
    assert plugins.contributor(CaseloadFlag, "placement_attention") == "placements"


def test_the_caseload_flags_missing_final_feedback_after_the_end(case, worker):
    make_placement(
        case=case, by=worker, starts_on=today() - timedelta(days=60), ends_on=today() - timedelta(days=20)
    )
    # Attendance is not asked of a placement that ended before last week.
    assert panels.flagged_cases(worker, [case]) == {case.pk}


def test_the_data_export_includes_the_placements_with_attendance_and_feedback(placement, worker):
    services.record_attendance(placement=placement, by=worker, days={placement.starts_on: "present"})
    response = client_as(worker).get(f"/clients/{placement.client.public_id}/export.json", **EN)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Konepaja Testi Oy: Verstas" in content
    assert "Jaksaa neljän tunnin päivät" in content
    assert '"days_present": 1' in content


def test_the_interrupt_form_names_the_recorded_days_after_the_new_last_day(placement, worker):
    day = today() - timedelta(days=1)
    services.record_attendance(placement=placement, by=worker, days={day: "present"})
    url = f"/placements/{placement.public_id}/interrupt/"

    response = client_as(worker).post(
        url, {"on": (today() - timedelta(days=2)).isoformat(), "reason": "Muutti pois"}, **EN
    )

    assert response.status_code == 400
    page = text(response)
    assert "Attendance is recorded for days outside the new dates" in page
    assert day.strftime("%d.%m.%Y") in page and "Muutti pois" in page
    assert Placement.objects.get().interrupted_on is None


def test_the_new_placement_page_records_the_read(case, worker):
    assert client_as(worker).get(new_url(case), **EN).status_code == 200

    assert [e.details.get("page") for e in events("client.view", case.client)] == ["placement_new"]


# The client's placements page (new with the panel limit): session, the user with their active memberships, the client and
# the permission reads, the count and the page of placements, the audit event: 12 for 1 as for 25.
CLIENT_PLACEMENTS_QUERIES = 7 + AUDIT_EVENT


def test_the_overview_panel_shows_the_ten_newest_and_links_to_all(case, worker):
    placements = [
        make_placement(case=case, by=worker, starts_on=today() - timedelta(days=40 - n)) for n in range(11)
    ]

    page = client_as(worker).get(f"/clients/{case.client.public_id}/", **EN).content.decode()

    assert str(placements[-1].public_id) in page and str(placements[1].public_id) in page
    assert str(placements[0].public_id) not in page
    assert f"/placements/of/{case.client.public_id}/" in page and "Show all placements" in page
    placements[1].delete()
    assert (
        "/placements/of/" not in client_as(worker).get(f"/clients/{case.client.public_id}/").content.decode()
    )


def test_the_clients_placements_page_lists_all_a_page_at_a_time_and_is_audited(case, worker):
    placements = [
        make_placement(case=case, by=worker, starts_on=today() - timedelta(days=40 - n)) for n in range(21)
    ]
    url = f"/placements/of/{case.client.public_id}/"

    first = client_as(worker).get(url, **EN)
    second = client_as(worker).get(url + "?page=2", **EN)

    assert first.status_code == 200 and "Page 1 of 2" in text(first)
    assert str(placements[0].public_id) in second.content.decode()
    assert str(placements[0].public_id) not in first.content.decode()
    assert [e.details["page"] for e in events("client.view", case.client)] == ["placements", "placements"]


def test_the_clients_placements_page_is_refused_to_others(case, worker, outsider, host):
    make_placement(case=case, by=worker)
    url = f"/placements/of/{case.client.public_id}/"

    assert client_as(outsider).get(url).status_code == 404
    assert client_as(host).get(url).status_code == 404
    assert len(events("permission.refused")) == 2


@pytest.mark.parametrize("count", [1, 25])
def test_the_clients_placements_page_runs_the_same_queries(case, worker, count, django_assert_num_queries):
    for _ in range(count):
        make_placement(case=case, by=worker)
    browser = client_as(worker)
    url = f"/placements/of/{case.client.public_id}/"
    browser.get(url)

    with django_assert_num_queries(CLIENT_PLACEMENTS_QUERIES):
        browser.get(url)
