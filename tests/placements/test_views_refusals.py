"""Every placement page refuses the wrong role and the wrong organisation: 404 for what they may not know
exists (audited), nothing stored. A work trial host reaches only the attendance of their unit's
placements and their list."""

from __future__ import annotations

import pytest

from polku.accounts.models import Role
from polku.clients import services as client_services
from polku.placements.models import Attendance, AttendanceChange, Placement
from tests.conftest import client_as
from tests.factories import make_membership, make_unit
from tests.placements.conftest import EN, days_ago, events, text, today

PAGES = ["detail", "edit", "interrupt", "attendance", "send_feedback"]
POST_PAGES = ["edit", "interrupt", "attendance", "send_feedback"]


def url(placement: Placement, name: str) -> str:
    p = placement.public_id
    return {
        "new": f"/cases/{placement.case.public_id}/placements/new/",
        "detail": f"/placements/{p}/",
        "edit": f"/placements/{p}/edit/",
        "interrupt": f"/placements/{p}/interrupt/",
        "attendance": f"/placements/{p}/attendance/",
        "send_feedback": f"/placements/{p}/feedback/send/",
    }[name]


def valid_post(placement: Placement, name: str) -> dict[str, object]:
    return {
        "new": {
            "kind": "work_trial",
            "host_name": "Toinen Oy",
            "supervisor_name": "S",
            "supervisor_email": "s@toinen.example",
            "tasks": "T",
            "starts_on": today().isoformat(),
            "ends_on": today().isoformat(),
            "days_per_week": "3",
            "hours_per_day": "4",
        },
        "edit": {
            "kind": "work_trial",
            "host_unit": placement.host_unit_id or "",
            "supervisor_name": "Uusi Ohjaaja",
            "supervisor_email": "uusi@verstas.example",
            "tasks": "Muutettu",
            "starts_on": placement.starts_on.isoformat(),
            "ends_on": placement.ends_on.isoformat(),
            "days_per_week": "4",
            "hours_per_day": "5",
        },
        "interrupt": {"on": today().isoformat(), "reason": "Keskeytys"},
        "attendance": {f"day_{today().isoformat()}": "sick"},
        "send_feedback": {"stage": "mid_term", "email": "x@example.com"},
    }[name]


def stored(placement: Placement) -> tuple[object, ...]:
    placement.refresh_from_db()
    return (
        Placement.objects.count(),
        placement.supervisor_name,
        placement.interrupted_on,
        Attendance.objects.count(),
        AttendanceChange.objects.count(),
        placement.feedback_requests.count(),
    )


@pytest.fixture
def nurse_on_team(case, worker, colleague):
    client_services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(10))
    return colleague


@pytest.fixture
def espoo_on_team(case, worker, outsider):
    """An Espoo worker on the case team: sees the client, but not Oulu's placement records without consent."""
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(10))
    return outsider


REFUSED = ["outsider", "colleague", "manager", "administrator", "other_host", "espoo_on_team"]


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize("page", [*PAGES, "new"])
def test_wrong_role_or_organisation_gets_404_on_every_page(request, placement, persona, page):
    viewer = request.getfixturevalue(persona)
    before = stored(placement)
    response = client_as(viewer).get(url(placement, page), **EN)
    assert response.status_code == 404
    assert "Aino" not in text(response)
    assert events("permission.refused")
    if page in POST_PAGES or page == "new":
        response = client_as(viewer).post(url(placement, page), valid_post(placement, page), **EN)
        assert response.status_code == 404
    assert stored(placement) == before


@pytest.mark.parametrize("page", ["detail", "edit", "interrupt", "send_feedback", "new"])
def test_the_host_reaches_no_page_but_attendance(placement, host, page):
    before = stored(placement)
    assert client_as(host).get(url(placement, page), **EN).status_code == 404
    if page != "detail":
        assert (
            client_as(host).post(url(placement, page), valid_post(placement, page), **EN).status_code == 404
        )
    assert stored(placement) == before


def test_the_host_sees_nothing_else_of_the_client(placement, host):
    browser = client_as(host)
    assert browser.get(f"/clients/{placement.client.public_id}/", **EN).status_code == 404
    page = text(browser.get(url(placement, "attendance"), **EN))
    assert "Aino Asiakas" in page
    assert placement.client.identity_code_masked not in page
    assert placement.supervisor_email not in page
    assert f"/clients/{placement.client.public_id}/" not in page


def test_a_team_member_of_the_owning_organisation_views_but_only_the_team_manages(placement, nurse_on_team):
    browser = client_as(nurse_on_team)
    assert browser.get(url(placement, "detail"), **EN).status_code == 200
    # The nurse is on the team of the owning organisation's case: they may manage too.
    assert browser.get(url(placement, "edit"), **EN).status_code == 200


def test_another_organisation_on_the_team_sees_the_placement_under_consent_but_cannot_manage(
    placement, case, worker, espoo_on_team, espoo, oulu
):
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työkokeilun seuranta",
        valid_from=days_ago(1),
        method="written",
    )
    browser = client_as(espoo_on_team)
    assert browser.get(url(placement, "detail"), **EN).status_code == 200
    for page in ("edit", "interrupt", "attendance", "send_feedback"):
        assert browser.get(url(placement, page), **EN).status_code == 404


def test_another_organisation_on_the_team_sees_no_placement_panel_without_consent(placement, espoo_on_team):
    page = text(client_as(espoo_on_team).get(f"/clients/{placement.client.public_id}/", **EN))
    assert "No work trials or rehabilitative work activity." in page
    assert "Konepaja" not in page


def test_staff_cannot_open_the_hosts_list(worker, manager):
    for viewer in (worker, manager):
        assert client_as(viewer).get("/placements/hosted/", **EN).status_code == 403
    assert len(events("permission.refused")) == 2


def test_anonymous_visitors_are_sent_to_log_in(placement):
    from django.test import Client

    for page in [*PAGES, "new"]:
        response = Client().get(url(placement, page))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    assert Client().get("/placements/hosted/").status_code == 302


def test_a_host_of_another_unit_role_in_the_same_unit_is_not_a_host(placement, host):
    """A staff member of the host's unit without the host role gets nothing."""
    other = make_membership(unit=host.unit, role=Role.NURSE)
    assert client_as(other).get(url(placement, "attendance"), **EN).status_code == 404


def test_a_host_of_an_unrelated_unit_sees_an_empty_list(placement):
    lonely = make_membership(unit=make_unit(name="Muu"), role=Role.WORK_TRIAL_HOST)
    page = text(client_as(lonely).get("/placements/hosted/", **EN))
    assert "Your unit hosts no placements in Polku." in page
    assert "Aino" not in page
