"""A case's path: status changes, closing with an outcome, working with the client again, and handing
the case over to another personal worker. Every change is a history row; access follows the team."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from polku.accounts import permissions
from polku.accounts.models import Role
from polku.audit import services as audit
from polku.audit.models import AuditEvent
from polku.clients import selectors, services
from polku.clients.models import (
    Case,
    CaseOutcome,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    TimelineEntry,
)
from tests.conftest import client_as
from tests.factories import make_case, make_membership, make_unit, make_user, synthetic_identity_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def today():
    return timezone.localdate()


def days_ago(days: int):
    return today() - timedelta(days=days)


@pytest.fixture
def case(worker) -> Case:
    return make_case(by=worker, opened_on=days_ago(60), identity_code=synthetic_identity_code())


@pytest.fixture
def nurse_on_team(case, worker, colleague):
    services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(30))
    return colleague


@pytest.fixture
def successor(worker):
    """Another personal worker of the worker's unit."""
    return make_membership(
        user=make_user(first_name="Seija", last_name="Seuraaja"), unit=worker.unit, role=Role.PERSONAL_WORKER
    )


def detail_url(case: Case) -> str:
    return f"/clients/{case.client.public_id}/"


def history(case: Case) -> list[tuple[str, str]]:
    return list(CaseStatusChange.objects.filter(case=case).values_list("previous_status", "status"))


# --- Status -------------------------------------------------------------------------------------------


def test_each_status_change_is_a_history_row_with_its_actor_and_note(case, worker):
    services.change_status(case=case, status=CaseStatus.SCREENING, by=worker, note="Kysely lähetetty")
    services.change_status(case=case, status=CaseStatus.ASSESSMENT, by=worker)

    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert history(case) == [
        ("", CaseStatus.IDENTIFIED),
        (CaseStatus.IDENTIFIED, CaseStatus.SCREENING),
        (CaseStatus.SCREENING, CaseStatus.ASSESSMENT),
    ]
    screening = CaseStatusChange.objects.get(case=case, status=CaseStatus.SCREENING)
    assert (screening.by, screening.note) == (worker, "Kysely lähetetty")
    assert case.status_changed_at >= screening.at
    assert list(
        TimelineEntry.objects.filter(kind="case.status_changed")
        .order_by("id")
        .values_list("params", flat=True)
    ) == [{"status": "screening"}, {"status": "assessment"}]
    assert [e.details for e in AuditEvent.objects.filter(action="case.status").order_by("id")] == [
        {"status": "screening"},
        {"status": "assessment"},
    ]


def test_a_status_may_go_back_and_the_history_keeps_both_ways(case, worker):
    services.change_status(case=case, status=CaseStatus.PLANNING, by=worker)
    services.change_status(case=case, status=CaseStatus.ASSESSMENT, by=worker)
    assert history(case)[-2:] == [
        (CaseStatus.IDENTIFIED, CaseStatus.PLANNING),
        (CaseStatus.PLANNING, CaseStatus.ASSESSMENT),
    ]


def test_closed_is_not_a_status_one_changes_to(case, worker):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.change_status(case=case, status=CaseStatus.CLOSED, by=worker)
    assert "Close the case with its outcome instead." in refused.value.message_dict["status"]
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.IDENTIFIED, None)
    assert len(history(case)) == 1


def test_changing_to_the_status_the_case_already_has_is_refused(case, worker):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.change_status(case=case, status=CaseStatus.IDENTIFIED, by=worker)
    assert "The case already has this status." in refused.value.message_dict["status"]
    assert len(history(case)) == 1


def test_an_unknown_status_is_refused(case, worker):
    with pytest.raises(ValidationError):
        services.change_status(case=case, status="finished", by=worker)
    assert len(history(case)) == 1


def test_a_team_member_who_is_not_the_personal_worker_cannot_change_the_status(case, nurse_on_team):
    with pytest.raises(PermissionDenied) as refused:
        services.change_status(case=case, status=CaseStatus.SCREENING, by=nurse_on_team)
    assert len(history(case)) == 1
    # The refusal rides on the exception until the transaction has unwound (the middleware writes it).
    refusal = audit.record_pending(refused.value)
    assert refusal.action == "permission.refused"
    assert refusal.membership == nurse_on_team
    assert refusal.details == {"action": "case.manage"}
    assert refusal.client_id == case.client.public_id


# --- Closing ------------------------------------------------------------------------------------------


def test_closing_needs_an_outcome_from_the_list(case, worker):
    for outcome in ("", "won_the_lottery"):
        with pytest.raises(ValidationError) as refused:
            services.close_case(case=case, outcome=outcome, by=worker)
        assert "outcome" in refused.value.message_dict
    case.refresh_from_db()
    assert case.is_open and case.status == CaseStatus.IDENTIFIED


@pytest.mark.parametrize("closed_on", ["tomorrow", "before_opening"])
def test_closing_in_the_future_or_before_the_opening_is_refused(case, worker, closed_on):
    day = today() + timedelta(days=1) if closed_on == "tomorrow" else case.opened_on - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.close_case(case=case, outcome=CaseOutcome.STUDIES, by=worker, closed_on=day)
    assert "closed_on" in refused.value.message_dict
    case.refresh_from_db()
    assert case.is_open


def test_closing_records_the_outcome_the_history_row_and_ends_every_team_period(case, worker, nurse_on_team):
    services.close_case(case=case, outcome=CaseOutcome.STUDIES, by=worker, note="Aloitti opinnot")

    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (CaseStatus.CLOSED, CaseOutcome.STUDIES, today())
    assert history(case)[-1] == (CaseStatus.IDENTIFIED, CaseStatus.CLOSED)
    assert list(case.team.values_list("membership", "ended_on", "ended_by")) == [
        (worker.pk, today(), worker.pk),
        (nurse_on_team.pk, today(), worker.pk),
    ]
    entry = TimelineEntry.objects.get(kind="case.closed")
    assert (entry.params, entry.text) == ({"outcome": "studies"}, "Aloitti opinnot")
    assert AuditEvent.objects.get(action="case.close").details == {"outcome": "studies"}


def test_after_closing_the_team_no_longer_sees_the_client(case, worker, nurse_on_team):
    assert client_as(worker).get(detail_url(case)).status_code == 200
    assert client_as(nurse_on_team).get(detail_url(case)).status_code == 200

    services.close_case(case=case, outcome=CaseOutcome.REHABILITATION, by=worker)

    assert client_as(worker).get(detail_url(case)).status_code == 404
    assert client_as(nurse_on_team).get(detail_url(case)).status_code == 404
    assert not permissions.can(worker, "client.view", case.client)
    assert list(selectors.caseload(viewer=worker)) == []


def test_a_closed_case_cannot_be_changed_any_more(case, worker):
    services.close_case(case=case, outcome=CaseOutcome.MOVED_AWAY, by=worker)
    with pytest.raises(PermissionDenied):
        services.change_status(case=case, status=CaseStatus.SCREENING, by=worker)
    with pytest.raises(PermissionDenied):
        services.close_case(case=case, outcome=CaseOutcome.STUDIES, by=worker)
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.MOVED_AWAY


def test_working_with_the_client_again_opens_a_new_case_and_leaves_the_closed_one_as_it_was(case, worker):
    code = services.reveal_identity_code(client=case.client, by=worker)
    services.change_status(case=case, status=CaseStatus.PLANNING, by=worker)
    services.close_case(case=case, outcome=CaseOutcome.CONTACT_LOST, by=worker, closed_on=days_ago(10))
    closed = Case.objects.values().get(pk=case.pk)
    closed_history = history(case)
    closed_team = list(case.team.values_list("membership", "started_on", "ended_on"))

    result = services.create_client(
        by=worker,
        identity_code=code,
        first_names="Ignored",
        last_name="Ignored",
        municipality=case.client.municipality,
        source="self_referral",
    )

    assert result.client_existed and result.client == case.client
    new = result.case
    assert new.pk != case.pk
    assert (new.status, new.opened_on, new.closed_on, new.outcome) == (
        CaseStatus.IDENTIFIED,
        today(),
        None,
        "",
    )
    assert Case.objects.values().get(pk=case.pk) == closed
    assert history(case) == closed_history
    assert list(case.team.values_list("membership", "started_on", "ended_on")) == closed_team
    assert permissions.can(worker, "client.view", case.client)
    assert list(selectors.caseload(viewer=worker)) == [new]


def test_a_worker_still_on_a_team_of_the_client_can_open_a_new_case_with_open_case(case, worker, outsider):
    services.add_team_member(case=case, member=outsider, by=worker)
    new = services.open_case(client=case.client, by=outsider, source="referral")
    assert (new.unit, new.personal_worker, new.status) == (outsider.unit, outsider, CaseStatus.IDENTIFIED)
    assert Case.objects.filter(client=case.client).count() == 2


# --- Handing over -------------------------------------------------------------------------------------


def test_a_hand_over_moves_the_case_and_keeps_the_note_in_the_history(case, worker, successor):
    services.assign_personal_worker(
        case=case, worker=successor, by=worker, note="Seuraava tapaaminen sovittu, soita maanantaina."
    )

    case.refresh_from_db()
    assert case.personal_worker == successor
    change = CaseWorkerChange.objects.filter(case=case).latest("id")
    assert (change.worker, change.previous_worker, change.by) == (successor, worker, worker)
    assert change.note == "Seuraava tapaaminen sovittu, soita maanantaina."
    assert CaseWorkerChange.objects.filter(case=case).count() == 2  # the first assignment stays
    entry = TimelineEntry.objects.get(kind="case.worker_assigned")
    assert entry.params == {"worker": "Seija Seuraaja"}
    assert AuditEvent.objects.get(action="case.assign").details == {"worker": str(successor.public_id)}


def test_the_previous_worker_leaves_the_team_and_loses_access(case, worker, successor):
    services.assign_personal_worker(case=case, worker=successor, by=worker)

    periods = {p.membership_id: p for p in case.team.all()}
    assert (periods[worker.pk].ended_on, periods[worker.pk].ended_by) == (today(), worker)
    assert periods[successor.pk].ended_on is None
    assert periods[successor.pk].role == Role.PERSONAL_WORKER
    assert client_as(worker).get(detail_url(case)).status_code == 404
    assert client_as(successor).get(detail_url(case)).status_code == 200
    assert list(selectors.caseload(viewer=successor)) == [case]
    assert list(selectors.caseload(viewer=worker)) == []
    with pytest.raises(PermissionDenied):
        services.change_status(case=case, status=CaseStatus.SCREENING, by=worker)


def test_handing_over_to_a_team_member_keeps_their_period(case, worker, successor):
    period = services.add_team_member(case=case, member=successor, by=worker)
    services.assign_personal_worker(case=case, worker=successor, by=worker)
    assert list(case.team.filter(membership=successor).values_list("pk", "ended_on")) == [(period.pk, None)]


def test_only_a_personal_worker_can_take_over_a_case(case, worker, colleague):
    with pytest.raises(ValidationError) as refused:
        services.assign_personal_worker(case=case, worker=colleague, by=worker)
    assert "worker" in refused.value.message_dict
    case.refresh_from_db()
    assert case.personal_worker == worker
    assert CaseWorkerChange.objects.filter(case=case).count() == 1


def test_a_personal_worker_whose_role_has_ended_cannot_take_over(case, worker):
    former = make_membership(
        unit=worker.unit, role=Role.PERSONAL_WORKER, valid_from=days_ago(400), valid_until=days_ago(1)
    )
    with pytest.raises(ValidationError):
        services.assign_personal_worker(case=case, worker=former, by=worker)
    case.refresh_from_db()
    assert case.personal_worker == worker


def test_handing_the_case_to_its_own_worker_is_refused(case, worker):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.assign_personal_worker(case=case, worker=worker, by=worker)
    assert "This worker already owns the case." in refused.value.message_dict["worker"]


def test_only_the_cases_personal_worker_may_hand_it_over(case, successor, nurse_on_team):
    for someone in (successor, nurse_on_team):
        with pytest.raises(PermissionDenied):
            services.assign_personal_worker(case=case, worker=successor, by=someone)
    case.refresh_from_db()
    assert CaseWorkerChange.objects.filter(case=case).count() == 1


def test_a_case_cannot_be_handed_to_a_personal_worker_of_another_organisation(case, worker, outsider):
    with pytest.raises(ValidationError):
        services.assign_personal_worker(case=case, worker=outsider, by=worker)
    case.refresh_from_db()
    assert case.personal_worker == worker


def test_a_personal_worker_of_another_unit_in_the_organisation_can_take_over(case, worker, oulu):
    other_unit = make_membership(unit=make_unit(organisation=oulu, name="Nuorten tiimi"))
    services.assign_personal_worker(case=case, worker=other_unit, by=worker)
    case.refresh_from_db()
    assert case.personal_worker == other_unit
    assert case.unit == worker.unit  # the case stays in its unit
    assert CaseTeamMember.objects.filter(case=case, membership=other_unit, ended_on__isnull=True).exists()
