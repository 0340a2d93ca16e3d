"""The pages that change a case, its team, contacts and the client's consents: each GET is an audited
read, a valid POST goes through one service and is recorded, and bad input answers 400 and changes
nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from polku.clients.models import (
    Case,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Consent,
    Contact,
    TimelineEntry,
)
from tests.clients.conftest import EN, days_ago, events, stored_state, text, today
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

FORM_TITLES = {
    "change_status": "Change the case status",
    "close_case": "Close the case",
    "hand_over": "Hand the case over",
    "next_step": "Plan the next step",
    "add_team_member": "Add a team member",
    "end_team_membership": "End team membership",
    "record_contact": "Record a contact",
    "open_case": "Open a new case",
    "record_consent": "Record a consent",
    "revoke_consent": "Revoke a consent",
}


def post(world, page, data, *, by=None, follow=False):
    return client_as(by or world.worker).post(world.url(page), data, follow=follow, **EN)


def refused_as_bad_input(response, before, message):
    assert response.status_code == 400
    assert message in text(response)
    assert stored_state() == before
    return True


@pytest.mark.parametrize("page", sorted(FORM_TITLES))
def test_each_form_page_shows_the_form_and_is_an_audited_read(world, page, oulu):
    if page == "open_case":
        # Only a personal worker without an open case in her unit opens one: another unit's, on the team.
        other = make_membership(unit=make_unit(organisation=oulu))
        client_as(world.worker).post(
            world.url("add_team_member"), {"member": other.pk, "started_on": today()}
        )
        viewer = other
    else:
        viewer = world.worker

    response = client_as(viewer).get(world.url(page), **EN)

    assert response.status_code == 200
    assert FORM_TITLES[page] in text(response)
    assert "Aino Asiakas" in text(response)
    [event] = [e for e in events("client.view", world.client) if e.membership == viewer]
    assert event.details == {"page": page}


# --- Status ------------------------------------------------------------------------------------------


def test_changing_the_status_records_it(world):
    response = post(world, "change_status", {"status": "screening", "note": "Kyselyt lähetetty"}, follow=True)

    assert response.redirect_chain == [(world.url("detail"), 302)]
    assert "Status changed." in text(response)
    world.case.refresh_from_db()
    assert world.case.status == "screening"
    change = CaseStatusChange.objects.latest("id")
    assert (change.status, change.previous_status, change.by, change.note) == (
        "screening",
        "identified",
        world.worker,
        "Kyselyt lähetetty",
    )
    assert events("case.status", world.client)[0].details == {"status": "screening"}
    assert "Status changed to “Screening”" in text(response)


def test_the_same_status_again_is_refused(world):
    before = stored_state()

    response = post(world, "change_status", {"status": "identified"})

    assert refused_as_bad_input(response, before, "The case already has this status.")


def test_closed_is_not_a_status_to_choose(world):
    before = stored_state()

    response = post(world, "change_status", {"status": "closed"})

    assert refused_as_bad_input(response, before, "Select a valid choice.")


# --- Closing -----------------------------------------------------------------------------------------


def test_closing_the_case_records_the_outcome_and_ends_the_teams_access(world, colleague):
    response = post(
        world, "close_case", {"outcome": "studies", "closed_on": today().isoformat()}, follow=True
    )

    # The worker no longer sees the client, so she is taken back to her caseload.
    assert response.redirect_chain == [("/caseload/", 302)]
    assert "Case closed." in text(response)
    case = Case.objects.get(pk=world.case.pk)
    assert (case.status, case.outcome, case.closed_on) == ("closed", "studies", today())
    assert not CaseTeamMember.objects.filter(case=case, ended_on__isnull=True).exists()
    assert events("case.close", world.client)[0].details == {"outcome": "studies"}
    assert client_as(colleague).get(world.url("detail")).status_code == 404
    assert client_as(world.worker).get(world.url("detail")).status_code == 404


def test_closing_without_an_outcome_is_refused(world):
    before = stored_state()

    response = post(world, "close_case", {"outcome": "", "closed_on": today().isoformat()})

    assert refused_as_bad_input(response, before, "Outcome: This field is required.")


def test_closing_in_the_future_is_refused(world):
    before = stored_state()

    response = post(
        world, "close_case", {"outcome": "studies", "closed_on": (today() + timedelta(days=1)).isoformat()}
    )

    assert refused_as_bad_input(response, before, "A case cannot be closed in the future.")


def test_closing_before_the_case_was_opened_is_refused(world):
    before = stored_state()

    response = post(
        world,
        "close_case",
        {"outcome": "studies", "closed_on": (world.case.opened_on - timedelta(days=1)).isoformat()},
    )

    assert refused_as_bad_input(response, before, "A case cannot be closed before it was opened.")


# --- Hand-over ---------------------------------------------------------------------------------------


def test_the_hand_over_offers_the_organisations_other_personal_workers(world, outsider, colleague):
    response = client_as(world.worker).get(world.url("hand_over"))

    candidates = list(response.context["form"].fields["worker"].queryset)
    assert world.spare_worker in candidates
    assert world.worker not in candidates
    assert outsider not in candidates
    assert colleague not in candidates


def test_handing_over_gives_the_case_to_the_new_worker_with_the_note(world):
    response = post(
        world, "hand_over", {"worker": world.spare_worker.pk, "note": "Odottaa lausuntoa."}, follow=True
    )

    assert response.redirect_chain == [("/caseload/", 302)]
    assert "The case was handed over." in text(response)
    world.case.refresh_from_db()
    assert world.case.personal_worker == world.spare_worker
    change = CaseWorkerChange.objects.latest("id")
    assert (change.worker, change.previous_worker, change.note) == (
        world.spare_worker,
        world.worker,
        "Odottaa lausuntoa.",
    )
    assert CaseTeamMember.objects.get(case=world.case, membership=world.worker).ended_on == today()
    assert CaseTeamMember.objects.filter(
        case=world.case, membership=world.spare_worker, ended_on__isnull=True
    ).exists()
    assert client_as(world.spare_worker).get(world.url("change_status")).status_code == 200


def test_a_hand_over_without_a_note_is_refused(world):
    before = stored_state()

    response = post(world, "hand_over", {"worker": world.spare_worker.pk, "note": ""})

    assert refused_as_bad_input(response, before, "Note for the next worker: This field is required.")


def test_a_hand_over_to_another_organisations_worker_is_refused(world, outsider):
    before = stored_state()

    response = post(world, "hand_over", {"worker": outsider.pk, "note": "Muutto Espooseen."})

    assert refused_as_bad_input(response, before, "Select a valid choice.")


# --- Next step ---------------------------------------------------------------------------------------


def test_planning_the_next_step_stores_it(world):
    due = today() + timedelta(days=14)

    response = post(world, "next_step", {"step": "Arviointijakso", "due_on": due.isoformat()}, follow=True)

    assert "Next step saved." in text(response)
    world.case.refresh_from_db()
    assert (world.case.next_step, world.case.next_step_on) == ("Arviointijakso", due)
    assert TimelineEntry.objects.filter(kind="case.next_step").get().params == {
        "on": due.isoformat(),
        "step": "Arviointijakso",
    }
    assert events("case.next_step", world.client)


@pytest.mark.parametrize("data", [{"step": "   ", "due_on": "2027-01-01"}, {"step": "Soitto", "due_on": ""}])
def test_a_next_step_without_a_step_or_a_date_is_refused(world, data):
    before = stored_state()

    response = post(world, "next_step", data)

    assert refused_as_bad_input(response, before, "This field is required.")


# --- Team ----------------------------------------------------------------------------------------------


def test_adding_a_team_member_gives_her_access_from_the_day_given(world):
    response = post(
        world,
        "add_team_member",
        {
            "member": world.spare_nurse.pk,
            "responsibility": "Terveydentila",
            "started_on": today().isoformat(),
        },
        follow=True,
    )

    assert "Team member added." in text(response)
    period = CaseTeamMember.objects.get(membership=world.spare_nurse)
    assert (period.case, period.role, period.responsibility, period.added_by) == (
        world.case,
        "nurse",
        "Terveydentila",
        world.worker,
    )
    assert events("team.add", world.client)[-1].details == {"member": str(world.spare_nurse.public_id)}
    assert client_as(world.spare_nurse).get(world.url("detail")).status_code == 200


def test_team_candidates_leave_out_members_already_on_the_team_and_staff_who_do_not_work_with_clients(
    world, colleague, manager
):
    response = client_as(world.worker).get(world.url("add_team_member"))

    candidates = list(response.context["form"].fields["member"].queryset)
    assert world.spare_nurse in candidates
    assert colleague not in candidates
    assert world.worker not in candidates
    assert manager not in candidates


def test_adding_someone_already_on_the_team_is_refused(world, colleague):
    before = stored_state()

    response = post(world, "add_team_member", {"member": colleague.pk, "started_on": today().isoformat()})

    assert refused_as_bad_input(response, before, "Select a valid choice.")


def test_a_team_period_cannot_start_before_the_case(world):
    before = stored_state()

    response = post(
        world,
        "add_team_member",
        {
            "member": world.spare_nurse.pk,
            "started_on": (world.case.opened_on - timedelta(days=1)).isoformat(),
        },
    )

    assert refused_as_bad_input(response, before, "Membership cannot start before the case was opened.")


def test_ending_a_team_membership_ends_her_access(world, colleague):
    response = post(world, "end_team_membership", {"confirm": "yes"}, follow=True)

    assert "Team membership ended." in text(response)
    world.period.refresh_from_db()
    assert (world.period.ended_on, world.period.ended_by) == (today(), world.worker)
    assert events("team.end", world.client)
    assert client_as(colleague).get(world.url("detail")).status_code == 404


def test_a_team_membership_cannot_be_ended_twice(world):
    post(world, "end_team_membership", {"confirm": "yes"})
    before = stored_state()

    response = post(world, "end_team_membership", {"confirm": "yes"})

    assert refused_as_bad_input(response, before, "This team membership has already ended.")


def test_the_personal_worker_leaves_the_team_only_by_handing_over(world):
    own = CaseTeamMember.objects.get(case=world.case, membership=world.worker)
    before = stored_state()

    response = client_as(world.worker).post(f"/team/{own.public_id}/end/", {"confirm": "yes"}, **EN)

    assert refused_as_bad_input(
        response, before, "The personal worker leaves the team by handing the case over."
    )


# --- Contacts ------------------------------------------------------------------------------------------


def test_recording_a_contact_stores_it_in_the_workers_organisation_and_register(world):
    response = post(
        world,
        "record_contact",
        {
            "kind": "home_visit",
            "happened_on": days_ago(2).isoformat(),
            "duration_minutes": "45",
            "participants": "Asiakas, äiti",
            "register": "social",
            "note": "Kotikäynti sovitusti.",
        },
        follow=True,
    )

    assert "Contact recorded." in text(response)
    contact = Contact.objects.get()
    assert (contact.case, contact.author, contact.organisation, contact.register) == (
        world.case,
        world.worker,
        world.worker.unit.organisation,
        "social",
    )
    assert (contact.kind, contact.happened_on, contact.duration_minutes) == ("home_visit", days_ago(2), 45)
    assert "Kotikäynti sovitusti." in text(response)  # on the timeline
    assert events("contact.record", world.client)


def test_a_contact_in_the_future_is_refused(world):
    before = stored_state()

    response = post(
        world,
        "record_contact",
        {
            "kind": "phone",
            "happened_on": (today() + timedelta(days=1)).isoformat(),
            "register": "social",
            "note": "x",
        },
    )

    assert refused_as_bad_input(response, before, "A contact cannot be recorded in the future.")


def test_a_contact_before_the_case_was_opened_is_refused(world):
    before = stored_state()

    response = post(
        world,
        "record_contact",
        {
            "kind": "phone",
            "happened_on": (world.case.opened_on - timedelta(days=1)).isoformat(),
            "register": "social",
            "note": "x",
        },
    )

    assert refused_as_bad_input(response, before, "The date is before the case was opened.")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"note": ""}, "Note: This field is required."),
        ({"duration_minutes": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"register": "secret"}, "Select a valid choice."),
    ],
)
def test_a_contact_with_a_missing_or_wrong_field_is_refused(world, change, message):
    before = stored_state()
    data = {"kind": "phone", "happened_on": today().isoformat(), "register": "social", "note": "x", **change}

    response = post(world, "record_contact", data)

    assert refused_as_bad_input(response, before, message)


# --- Opening another case ----------------------------------------------------------------------------


def test_a_personal_worker_of_another_unit_on_the_team_opens_her_own_case(world, oulu):
    other = make_membership(unit=make_unit(organisation=oulu, name="Nuorten tiimi"))
    post(world, "add_team_member", {"member": other.pk, "started_on": today().isoformat()})

    response = post(
        world, "open_case", {"source": "kela", "opened_on": today().isoformat()}, by=other, follow=True
    )

    assert "Case opened." in text(response)
    case = Case.objects.get(unit=other.unit)
    assert (case.client, case.personal_worker, case.source) == (world.client, other, "kela")
    assert events("case.open", world.client)[-1].membership == other


def test_a_second_open_case_in_the_same_unit_is_refused(world):
    before = stored_state()

    response = post(world, "open_case", {"source": "kela", "opened_on": today().isoformat()})

    assert refused_as_bad_input(
        response, before, "This person is already a client of your unit with an open case."
    )


# --- Consents ----------------------------------------------------------------------------------------


def consent_data(world, **changes):
    return {
        "discloser": world.oulu.pk,
        "recipient": world.espoo.pk,
        "registers": ["social"],
        "purpose": "Kuntoutussuunnitelma",
        "valid_from": today().isoformat(),
        "method": "written",
        **changes,
    }


def test_recording_a_consent_stores_it(world):
    response = post(world, "record_consent", consent_data(world, registers=["social", "health"]), follow=True)

    assert "Consent recorded." in text(response)
    consent = Consent.objects.latest("id")
    assert (consent.discloser, consent.recipient, consent.registers) == (
        world.oulu,
        world.espoo,
        ["social", "health"],
    )
    assert consent.recorded_by == world.worker
    assert events("consent.record", world.client)[-1].details == {"registers": ["social", "health"]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registers": ""}, "Choose at least one register the consent covers."),
        ({"method": "verbal_with_witness", "witness": ""}, "A verbal consent needs the name of the witness."),
        ({"recipient": "OULU"}, "The receiving organisation must differ from the disclosing one."),
        ({"valid_until": "2020-01-01"}, "The end date cannot be before the start date."),
        ({"purpose": ""}, "Purpose: This field is required."),
        ({"valid_from": "BEFORE_BIRTH"}, "A consent cannot be valid before the client was born."),
    ],
)
def test_a_consent_with_bad_input_is_refused(world, change, message):
    if change.get("recipient") == "OULU":
        change = {"recipient": world.oulu.pk}
    if change.get("valid_from") == "BEFORE_BIRTH":
        change = {"valid_from": (world.client.birth_date - timedelta(days=1)).isoformat()}
    data = {key: value for key, value in consent_data(world, **change).items() if value != ""}
    before = stored_state()

    response = post(world, "record_consent", data)

    assert refused_as_bad_input(response, before, message)


def test_a_verbal_consent_with_a_witness_is_accepted(world):
    post(world, "record_consent", consent_data(world, method="verbal_with_witness", witness="Sari Sihteeri"))

    assert Consent.objects.latest("id").witness == "Sari Sihteeri"


def test_revoking_a_consent_records_who_and_when(world):
    response = post(
        world, "revoke_consent", {"revoked_on": today().isoformat(), "note": "Asiakas pyysi"}, follow=True
    )

    assert "Consent revoked." in text(response)
    world.consent.refresh_from_db()
    assert (world.consent.revoked_on, world.consent.revoked_by, world.consent.revocation_note) == (
        today(),
        world.worker,
        "Asiakas pyysi",
    )
    assert events("consent.revoke", world.client)


def test_a_consent_cannot_be_revoked_twice(world):
    post(world, "revoke_consent", {"revoked_on": today().isoformat()})
    before = stored_state()

    response = post(world, "revoke_consent", {"revoked_on": today().isoformat()})

    assert refused_as_bad_input(response, before, "This consent has already been revoked.")


def test_a_revocation_cannot_be_backdated(world):
    before = stored_state()

    response = post(world, "revoke_consent", {"revoked_on": (today() - timedelta(days=1)).isoformat()})

    assert refused_as_bad_input(
        response, before, "A revocation takes effect today or later, not in the past."
    )


def test_a_third_organisation_cannot_record_a_consent_between_two_others(world, outsider):
    from polku.clients import services
    from tests.factories import make_organisation

    third = make_organisation(name="Kolmas kunta (testi)", municipality_code="091")
    with pytest.raises(ValidationError):
        services.record_consent(
            client=world.client,
            by=world.worker,
            discloser=third,
            recipient=outsider.unit.organisation,
            purpose="Yhteistyö",
            valid_from=today(),
            method="written",
            covers_health=True,
        )
