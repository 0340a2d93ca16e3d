"""The case team: who can join, leaving it, and recording contacts with the client. Being on the team
now is what lets staff see the client."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from polku.accounts import permissions
from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import services
from polku.clients.models import Case, CaseOutcome, CaseTeamMember, Contact, Register, TimelineEntry
from tests.conftest import client_as
from tests.factories import make_case, make_membership, make_unit, synthetic_identity_code


def today():
    return timezone.localdate()


def days_ago(days: int):
    return today() - timedelta(days=days)


@pytest.fixture
def case(worker) -> Case:
    return make_case(by=worker, opened_on=days_ago(60), identity_code=synthetic_identity_code())


@pytest.fixture
def job_coach(espoo):
    """An IPS job coach of another organisation."""
    return make_membership(unit=make_unit(organisation=espoo, name="IPS-tiimi"), role=Role.JOB_COACH)


def detail_url(case: Case) -> str:
    return f"/clients/{case.client.public_id}/"


def active_team(case: Case) -> set[int]:
    return set(case.team.filter(ended_on__isnull=True).values_list("membership", flat=True))


def record(case, by, **values):
    values = {
        "kind": "meeting",
        "happened_on": days_ago(1),
        "note": "Puhuttiin työkokeilusta.",
        "register": Register.SOCIAL,
    } | values
    return services.record_contact(case=case, by=by, **values)


# --- Joining ------------------------------------------------------------------------------------------


def test_a_job_coach_joins_the_team_and_then_sees_the_client(case, worker, job_coach):
    assert client_as(job_coach).get(detail_url(case)).status_code == 404

    period = services.add_team_member(case=case, member=job_coach, by=worker, responsibility="Työnhaku")

    assert (period.role, period.responsibility, period.started_on, period.added_by) == (
        Role.JOB_COACH,
        "Työnhaku",
        today(),
        worker,
    )
    assert active_team(case) == {worker.pk, job_coach.pk}
    assert client_as(job_coach).get(detail_url(case)).status_code == 200
    entry = TimelineEntry.objects.get(kind="team.member_added")
    assert entry.params["role"] == Role.JOB_COACH
    assert AuditEvent.objects.get(action="team.add").details == {"member": str(job_coach.public_id)}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMINISTRATOR, Role.WORK_TRIAL_HOST])
def test_staff_who_do_not_work_with_clients_cannot_join(case, worker, role):
    member = make_membership(unit=worker.unit, role=role)
    with pytest.raises(ValidationError) as refused:
        services.add_team_member(case=case, member=member, by=worker)
    assert "member" in refused.value.message_dict
    assert active_team(case) == {worker.pk}
    assert not permissions.can(member, "client.view", case.client)


def test_the_manager_persona_cannot_join(case, worker, manager):
    with pytest.raises(ValidationError):
        services.add_team_member(case=case, member=manager, by=worker)
    assert client_as(manager).get(detail_url(case)).status_code == 404


def test_someone_whose_role_has_ended_cannot_join(case, worker):
    former = make_membership(
        unit=worker.unit, role=Role.NURSE, valid_from=days_ago(400), valid_until=days_ago(1)
    )
    with pytest.raises(ValidationError):
        services.add_team_member(case=case, member=former, by=worker)
    assert active_team(case) == {worker.pk}


def test_joining_twice_is_refused(case, worker, colleague):
    services.add_team_member(case=case, member=colleague, by=worker)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.add_team_member(case=case, member=colleague, by=worker)
    assert "This person is already on the team." in refused.value.message_dict["member"]
    assert case.team.filter(membership=colleague).count() == 1


def test_membership_cannot_start_before_the_case_was_opened(case, worker, colleague):
    with pytest.raises(ValidationError) as refused:
        services.add_team_member(
            case=case, member=colleague, by=worker, started_on=case.opened_on - timedelta(days=1)
        )
    assert "started_on" in refused.value.message_dict
    assert active_team(case) == {worker.pk}


def test_only_the_personal_worker_adds_members(case, worker, colleague, job_coach):
    services.add_team_member(case=case, member=colleague, by=worker)
    with pytest.raises(PermissionDenied):
        services.add_team_member(case=case, member=job_coach, by=colleague)
    assert active_team(case) == {worker.pk, colleague.pk}


def test_a_member_whose_period_starts_tomorrow_does_not_see_the_client_yet(case, worker, colleague):
    services.add_team_member(case=case, member=colleague, by=worker, started_on=today() + timedelta(days=1))
    assert not permissions.can(colleague, "client.view", case.client)
    assert client_as(colleague).get(detail_url(case)).status_code == 404


def test_a_member_whose_period_starts_tomorrow_cannot_edit_the_client_yet(case, worker, colleague):
    services.add_team_member(case=case, member=colleague, by=worker, started_on=today() + timedelta(days=1))
    assert not permissions.can(colleague, "client.edit", case.client)
    assert not permissions.can(colleague, "consent.record", case.client)


# --- Leaving ------------------------------------------------------------------------------------------


def test_ending_a_membership_ends_the_members_access(case, worker, job_coach):
    period = services.add_team_member(case=case, member=job_coach, by=worker)
    assert client_as(job_coach).get(detail_url(case)).status_code == 200

    services.end_team_membership(period=period, by=worker)

    period.refresh_from_db()
    assert (period.ended_on, period.ended_by) == (today(), worker)
    assert client_as(job_coach).get(detail_url(case)).status_code == 404
    assert TimelineEntry.objects.filter(kind="team.member_ended").exists()
    assert AuditEvent.objects.filter(action="team.end", object_id=str(period.public_id)).exists()


def test_a_member_who_left_can_be_added_again_as_a_new_period(case, worker, colleague):
    first = services.add_team_member(case=case, member=colleague, by=worker)
    services.end_team_membership(period=first, by=worker)
    second = services.add_team_member(case=case, member=colleague, by=worker)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.ended_on == today()
    assert permissions.can(colleague, "client.view", case.client)


def test_ending_a_membership_twice_is_refused(case, worker, colleague):
    period = services.add_team_member(case=case, member=colleague, by=worker)
    services.end_team_membership(period=period, by=worker)
    with pytest.raises(ValidationError):
        services.end_team_membership(period=period, by=worker)
    assert TimelineEntry.objects.filter(kind="team.member_ended").count() == 1


def test_the_personal_worker_cannot_end_their_own_period(case, worker):
    own = CaseTeamMember.objects.get(case=case, membership=worker)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.end_team_membership(period=own, by=worker)
    assert "The personal worker leaves the team by handing the case over." in refused.value.messages
    own.refresh_from_db()
    assert own.ended_on is None
    assert permissions.can(worker, "client.view", case.client)


def test_a_member_cannot_end_someone_elses_membership(case, worker, colleague, job_coach):
    services.add_team_member(case=case, member=colleague, by=worker)
    coach_period = services.add_team_member(case=case, member=job_coach, by=worker)
    with pytest.raises(PermissionDenied):
        services.end_team_membership(period=coach_period, by=colleague)
    assert active_team(case) == {worker.pk, colleague.pk, job_coach.pk}


# --- Contacts -----------------------------------------------------------------------------------------


def test_a_contact_is_stored_in_the_authors_organisations_register_and_on_the_timeline(case, worker, oulu):
    contact = record(
        case, worker, kind="phone", happened_on=days_ago(3), note="Soitto: vointi hyvä.", duration_minutes=15
    )

    contact.refresh_from_db()
    assert (contact.client, contact.author, contact.organisation, contact.register) == (
        case.client,
        worker,
        oulu,
        Register.SOCIAL,
    )
    assert (contact.kind, contact.happened_on, contact.duration_minutes) == ("phone", days_ago(3), 15)
    entry = TimelineEntry.objects.get(kind="contact.recorded")
    assert (entry.register, entry.organisation, entry.text) == (Register.SOCIAL, oulu, "Soitto: vointi hyvä.")
    assert AuditEvent.objects.filter(action="contact.record", client_id=case.client.public_id).exists()


def test_a_team_member_records_a_contact_too(case, worker, colleague):
    services.add_team_member(case=case, member=colleague, by=worker)
    contact = record(case, colleague, register=Register.HEALTH)
    assert contact.author == colleague


def test_a_contact_in_the_future_is_refused(case, worker):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        record(case, worker, happened_on=today() + timedelta(days=1))
    assert "A contact cannot be recorded in the future." in refused.value.message_dict["happened_on"]
    assert not Contact.objects.exists()


def test_a_contact_before_the_case_opened_is_refused(case, worker):
    with pytest.raises(ValidationError) as refused:
        record(case, worker, happened_on=case.opened_on - timedelta(days=1))
    assert "happened_on" in refused.value.message_dict
    assert not Contact.objects.exists()


@pytest.mark.parametrize("values", [{"kind": "telepathy"}, {"register": "secret"}, {"note": ""}])
def test_a_contact_with_an_unknown_kind_or_register_or_no_note_is_refused(case, worker, values):
    with pytest.raises(ValidationError):
        record(case, worker, **values)
    assert not Contact.objects.exists()
    assert not TimelineEntry.objects.filter(kind="contact.recorded").exists()


@pytest.mark.parametrize("persona", ["colleague", "outsider", "manager"])
def test_someone_not_on_the_team_cannot_record_a_contact(request, case, persona):
    with pytest.raises(PermissionDenied):
        record(case, request.getfixturevalue(persona))
    assert not Contact.objects.exists()


def test_a_member_who_left_cannot_record_a_contact(case, worker, colleague):
    period = services.add_team_member(case=case, member=colleague, by=worker)
    services.end_team_membership(period=period, by=worker)
    with pytest.raises(PermissionDenied):
        record(case, colleague)
    assert not Contact.objects.exists()


def test_no_contact_is_recorded_on_a_closed_case(case, worker):
    services.close_case(case=case, outcome=CaseOutcome.STUDIES, by=worker)
    with pytest.raises(PermissionDenied):
        record(case, worker, happened_on=today())
    assert not Contact.objects.exists()
