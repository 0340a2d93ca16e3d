"""A work trial host after logging in: the front page sends them to the placements their unit hosts,
the navigation shows that page and none they cannot use, they enter attendance (kept in the history)
and reach nothing else of the client."""

from __future__ import annotations

from polku.placements import selectors
from polku.placements.models import AttendanceChange
from tests.conftest import client_as
from tests.factories import make_placement
from tests.placements.conftest import EN, events, open_case_for, text


def test_the_host_lands_on_their_list_and_enters_attendance_but_sees_no_client_overview(
    placement, worker, host, other_host
):
    elsewhere = make_placement(
        case=open_case_for(worker, first_names="Bertta", last_name="Muualla"),
        by=worker,
        host_name="",
        host_unit=other_host.unit,
    )
    browser = client_as(host)
    response = browser.get("/", **EN)
    assert response.status_code == 302
    assert response["Location"] == "/placements/hosted/"

    page = browser.get(response["Location"], **EN)
    assert [row.pk for row in page.context["rows"]] == [placement.pk]
    shown = text(page)
    assert "Aino Asiakas" in shown
    assert "Bertta" not in shown
    assert str(elsewhere.public_id) not in shown
    nav = shown.split('aria-label="Main"')[1].split("</nav>")[0]
    assert "Placements you host" in nav
    for unusable in ("Caseload", "Service catalogue", "Incoming referrals", "Your account"):
        assert unusable not in nav

    day = placement.starts_on
    url = f"/placements/{placement.public_id}/attendance/?week={selectors.week_of(day).isoformat()}"
    assert browser.post(url, {f"day_{day.isoformat()}": "present"}, **EN).status_code == 302
    change = AttendanceChange.objects.get()
    assert (change.on, change.new_status, change.by) == (day, "present", host)

    before = len(events("permission.refused"))
    assert browser.get(f"/clients/{placement.client.public_id}/", **EN).status_code == 404
    assert browser.get(f"/placements/{placement.public_id}/", **EN).status_code == 404
    assert len(events("permission.refused")) == before + 2


def test_staff_still_land_on_their_caseload_or_workspace(worker, manager):
    assert client_as(worker).get("/")["Location"] == "/caseload/"
    assert client_as(manager).get("/")["Location"] == "/insights/"  # a manager starts from the figures
    page = client_as(manager).get("/insights/", **EN)
    assert page.status_code == 200
    nav = text(page).split('aria-label="Main"')[1].split("</nav>")[0]
    assert "Your account" in nav
    assert "Placements you host" not in nav
