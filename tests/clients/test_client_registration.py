"""services.create_client and open_case: registering a person once, opening their case, and what is
stored (the identity code only encrypted), refused or attached to the person already there."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import identity, services
from polku.clients.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Municipality,
    TimelineEntry,
)
from tests.factories import make_membership, make_unit, synthetic_identity_code

OPENED = 30  # days ago


def today():
    return timezone.localdate()


def register(by, code, **details):
    """Register through the service as the new-client form does."""
    values = {
        "first_names": "Aino Maria",
        "last_name": "Asiakas",
        "municipality": Municipality.objects.get(code="564"),
        "phone": "040 000 0001",
        "source": "self_referral",
        "opened_on": today() - timedelta(days=OPENED),
    }
    values.update(details)
    return services.create_client(by=by, identity_code=code, **values)


def stored_row(client: Client) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Client._meta.db_table} WHERE id = %s", [client.pk])
        return cursor.fetchone()


def nothing_stored() -> bool:
    return not (
        Client.objects.exists()
        or Case.objects.exists()
        or CaseTeamMember.objects.exists()
        or TimelineEntry.objects.exists()
    )


# --- A new person -------------------------------------------------------------------------------------


def test_the_plain_identity_code_is_stored_in_no_column_only_encrypted_hashed_and_masked(worker):
    code = synthetic_identity_code()
    client = register(worker, code).client

    row = stored_row(client)
    assert all(code not in str(value) for value in row)
    assert all(code[:6] + code[7:] not in str(value) for value in row)  # nor without its century sign
    client.refresh_from_db()
    assert client.identity_code_masked == f"{code[:7]}****"
    assert client.identity_code_hash == identity.lookup_hash(code)
    assert identity.decrypt(client.identity_code_encrypted) == code


def test_the_identity_code_appears_in_no_audit_event_nor_timeline_entry(worker):
    code = synthetic_identity_code()
    register(worker, code)
    written = [str(vars(event)) for event in AuditEvent.objects.all()]
    written += [str(vars(entry)) for entry in TimelineEntry.objects.all()]
    assert written
    assert all(code not in text for text in written)


def test_the_birth_date_and_sex_come_from_the_identity_code(worker):
    client = register(worker, "131052-308T", first_names="Maija").client
    client.refresh_from_db()
    assert client.birth_date.isoformat() == "1952-10-13"
    assert client.sex == "female"
    assert client.created_by == worker


def test_lower_case_and_spaces_in_the_code_find_the_same_person(worker, oulu):
    code = synthetic_identity_code()
    first = register(worker, code).client
    again = register(make_membership(unit=make_unit(organisation=oulu)), f" {code.lower()} ")
    assert again.client_existed
    assert again.client == first


def test_the_case_opens_identified_with_its_history_team_timeline_and_audit(worker):
    result = register(worker, synthetic_identity_code(), source="referral")
    client, case = result.client, result.case
    assert not result.client_existed

    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED
    assert (case.unit, case.personal_worker, case.opened_by) == (worker.unit, worker, worker)
    assert case.opened_on == today() - timedelta(days=OPENED)
    assert case.source == "referral"
    assert case.is_open and case.outcome == ""

    assert list(
        CaseStatusChange.objects.filter(case=case).values_list("status", "previous_status", "by")
    ) == [(CaseStatus.IDENTIFIED, "", worker.pk)]
    assert list(
        CaseWorkerChange.objects.filter(case=case).values_list("worker", "previous_worker", "by")
    ) == [(worker.pk, None, worker.pk)]
    team = list(case.team.all())
    assert [(p.membership, p.role, p.started_on, p.ended_on) for p in team] == [
        (worker, Role.PERSONAL_WORKER, case.opened_on, None)
    ]

    entry = TimelineEntry.objects.get(client=client)
    assert (entry.kind, entry.case, entry.actor, entry.register) == ("case.opened", case, worker, "")
    assert entry.params == {"unit": "PALO-tiimi"}

    actions = set(AuditEvent.objects.filter(client_id=client.public_id).values_list("action", flat=True))
    assert actions == {"client.create", "case.open"}
    opened = AuditEvent.objects.get(action="case.open")
    assert opened.membership == worker
    assert opened.object_id == str(case.public_id)
    assert opened.details == {"source": "referral"}


def test_the_worker_sees_the_client_they_registered_and_others_do_not(worker, colleague, outsider):
    from polku.accounts import permissions

    client = register(worker, synthetic_identity_code()).client
    assert permissions.can(worker, "client.view", client)
    assert not permissions.can(colleague, "client.view", client)  # same unit, but not on the team
    assert not permissions.can(outsider, "client.view", client)


# --- The same person again ----------------------------------------------------------------------------


def test_a_known_identity_code_never_makes_a_second_client(worker, oulu):
    code = synthetic_identity_code()
    first = register(worker, code, first_names="Aino", last_name="Asiakas", phone="040 000 0001").client

    second = register(
        make_membership(unit=make_unit(organisation=oulu)),
        code,
        first_names="Typo",
        last_name="Kirjoitusvirhe",
        phone="050 999 9999",
        municipality=Municipality.objects.get(code="049"),
    )

    assert second.client_existed
    assert second.client == first
    assert Client.objects.count() == 1
    first.refresh_from_db()
    assert (first.first_names, first.last_name, first.phone, first.municipality_id) == (
        "Aino",
        "Asiakas",
        "040 000 0001",
        "564",
    )
    assert first.created_by == worker


def test_the_second_workers_case_is_opened_in_their_own_unit_for_the_existing_person(worker, oulu):
    """Another unit of the organisation that has the client's case: a client of its own organisation."""
    outsider = make_membership(unit=make_unit(organisation=oulu, name="Nuorten tiimi"))
    code = synthetic_identity_code()
    first = register(worker, code)
    second = register(outsider, code)

    assert second.case != first.case
    assert second.case.client == first.client
    assert second.case.unit == outsider.unit
    assert second.case.personal_worker == outsider
    assert set(Case.objects.filter(client=first.client).values_list("unit", flat=True)) == {
        worker.unit_id,
        outsider.unit_id,
    }
    first.case.refresh_from_db()
    assert first.case.personal_worker == worker  # the first case is not touched
    assert AuditEvent.objects.filter(
        action="client.matched_existing", membership=outsider, client_id=first.client.public_id
    ).exists()


def test_a_second_open_case_in_the_same_unit_is_not_opened_the_unit_s_personal_worker_is_named(worker):
    code = synthetic_identity_code()
    register(worker, code)
    unit_colleague = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
    before = (Case.objects.count(), CaseStatusChange.objects.count(), TimelineEntry.objects.count())

    with pytest.raises(services.ExistingClient) as found:
        register(unit_colleague, code)

    assert (found.value.visible, found.value.ask) == (False, worker)
    assert (Case.objects.count(), CaseStatusChange.objects.count(), TimelineEntry.objects.count()) == before
    assert not AuditEvent.objects.filter(action="client.matched_existing").exists()


def test_another_organisations_worker_gets_no_case_for_the_existing_client(worker, outsider):
    """The new client form is no way around break-the-glass: a client of another organisation gets a case
    of the outsider's unit only from the client's overview, after break-the-glass, as its own step."""
    code = synthetic_identity_code()
    first = register(worker, code)
    before = (Case.objects.count(), CaseTeamMember.objects.count(), TimelineEntry.objects.count())

    with pytest.raises(services.ExistingClient) as found:
        register(outsider, code)

    assert (found.value.client, found.value.visible, found.value.ask) == (first.client, False, None)
    assert (Case.objects.count(), CaseTeamMember.objects.count(), TimelineEntry.objects.count()) == before


def test_the_clients_own_personal_worker_is_shown_the_client_not_a_second_case(worker):
    code = synthetic_identity_code()
    first = register(worker, code)

    with pytest.raises(services.ExistingClient) as found:
        register(worker, code)

    assert (found.value.client, found.value.visible) == (first.client, True)
    assert Case.objects.count() == 1


def test_opening_a_case_again_for_a_client_with_an_open_case_in_the_unit_is_refused(worker):
    client = register(worker, synthetic_identity_code()).client
    with pytest.raises(ValidationError) as refused:
        services.open_case(client=client, by=worker, source="referral")
    assert refused.value.code == "open_case_exists"
    assert Case.objects.filter(client=client).count() == 1


# --- Refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["colleague", "manager", "administrator"])
def test_only_a_personal_worker_may_register_a_client(db, request, persona):
    with pytest.raises(PermissionDenied):
        register(request.getfixturevalue(persona), synthetic_identity_code())
    assert nothing_stored()


def test_an_invalid_identity_code_stores_nothing(worker):
    with pytest.raises(ValidationError) as refused:
        register(worker, "131052-308U")
    assert refused.value.code == "identity_code_checksum"
    assert nothing_stored()


def test_a_case_opened_in_the_future_stores_no_client_either(worker):
    with pytest.raises(ValidationError) as refused:
        register(worker, synthetic_identity_code(), opened_on=today() + timedelta(days=1))
    assert "opened_on" in refused.value.message_dict
    assert nothing_stored()


def test_an_interpreter_without_a_language_is_refused(worker):
    with pytest.raises(ValidationError) as refused:
        register(worker, synthetic_identity_code(), needs_interpreter=True, interpreter_language=" ")
    assert "interpreter_language" in refused.value.message_dict
    assert nothing_stored()


def test_another_language_without_its_name_is_refused(worker):
    with pytest.raises(ValidationError) as refused:
        register(worker, synthetic_identity_code(), languages=["fi", "other"])
    assert "other_language" in refused.value.message_dict
    assert nothing_stored()


def test_opening_a_case_for_a_client_the_worker_does_not_see_is_a_404(worker, outsider):
    client = register(worker, synthetic_identity_code()).client
    with pytest.raises(Http404):
        services.open_case(client=client, by=outsider, source="referral")
    assert Case.objects.filter(client=client).count() == 1
