"""A placement that has started puts the case's services in progress; one still to come does not until
its attendance is recorded. Host feedback given through the emailed link names the supervisor and the
employer, on the timeline and in the access report."""

from __future__ import annotations

from datetime import timedelta

from polku.clients.models import CaseStatus, CaseStatusChange
from polku.placements import services
from tests.conftest import client_as
from tests.factories import make_placement
from tests.placements.conftest import EN, text, today


def latest_change(case):
    return CaseStatusChange.objects.filter(case=case).latest("at", "id")


def test_a_placement_that_has_started_moves_the_case_to_active_services(case, worker):
    make_placement(case=case, by=worker)

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE_SERVICES
    assert (latest_change(case).by, latest_change(case).cause) == (worker, "placement.started")


def test_a_placement_still_to_come_moves_the_case_when_its_first_day_is_recorded(case, worker):
    placement = make_placement(
        case=case, by=worker, starts_on=today() + timedelta(days=7), ends_on=today() + timedelta(days=60)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED

    placement = services.update_placement(placement=placement, by=worker, starts_on=today())
    services.record_attendance(placement=placement, by=worker, days={today(): "present"})

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE_SERVICES
    assert CaseStatusChange.objects.filter(case=case, cause="placement.started").count() == 1


def give_feedback(placement, worker):
    sent = services.send_feedback_request(
        placement=placement,
        by=worker,
        stage="final",
        email=placement.supervisor_email,
        build_url=lambda token: f"https://polku.example/feedback/{token}/",
        deliver=False,
    )
    return services.submit_feedback(
        request=sent.request, ratings={}, recommendation="continue", given_by=placement.supervisor_name
    )


def test_host_feedback_on_the_timeline_names_the_supervisor_via_the_link_and_the_employer(case, worker):
    placement = make_placement(case=case, by=worker)
    give_feedback(placement, worker)

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    assert "· Pekka Ohjaaja via feedback link (Kahvila Esimerkki Oy)</p>" in page
    assert f"· , {worker.unit.organisation.name}" not in page


def test_host_feedback_in_the_access_report_names_the_supervisor_and_employer(case, worker, host):
    placement = make_placement(case=case, by=worker, host_name="", host_unit=host.unit)
    give_feedback(placement, worker)

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/access-report/", **EN))

    assert "Pekka Ohjaaja via feedback link (Verstas, Konepaja Testi Oy)" in page
