"""Consents, and what they decide: a record (a contact note) written in organisation A is shown to a
team member of organisation B only while the client's valid consent lets A disclose that register to
B. Checked where staff read notes: selectors.contacts_of, timeline.for_client and the overview page."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import selectors, services, timeline
from polku.clients.models import Case, Consent, Register, TimelineEntry
from tests.conftest import client_as
from tests.factories import make_case, make_membership, make_organisation, make_unit, synthetic_identity_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NOTE = "Asiakas kertoi univaikeuksista ja toiveesta palata kaupan alalle."


def today():
    return timezone.localdate()


def days_ago(days: int):
    return today() - timedelta(days=days)


@pytest.fixture
def case(worker) -> Case:
    """The Oulu worker's case, with the Espoo worker (the outsider) added to its team."""
    return make_case(by=worker, opened_on=days_ago(60), identity_code=synthetic_identity_code())


@pytest.fixture
def espoo_member(case, worker, outsider):
    services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(30))
    return outsider


@pytest.fixture
def note(case, worker):
    """A contact note of Oulu's social welfare register."""
    return services.record_contact(
        case=case, by=worker, kind="meeting", happened_on=days_ago(2), note=NOTE, register=Register.SOCIAL
    )


def consent(case, by, discloser, recipient, **values) -> Consent:
    values = {
        "purpose": "Yhteinen työkykyarvio",
        "valid_from": today(),
        "method": "written",
        "covers_social": True,
    } | values
    return services.record_consent(
        client=case.client, by=by, discloser=discloser, recipient=recipient, **values
    )


def reads_note(viewer, case, text=NOTE) -> bool:
    """Whether the viewer reads the note, asserting that every place staff read notes agrees."""
    in_contacts = any(c.note == text for c in selectors.contacts_of(case.client, viewer=viewer))
    in_timeline = any(e.text == text for e in timeline.for_client(case.client, viewer=viewer))
    response = client_as(viewer).get(f"/clients/{case.client.public_id}/", **EN)
    assert response.status_code == 200
    on_page = text in html.unescape(response.content.decode())
    assert in_contacts == in_timeline == on_page, (in_contacts, in_timeline, on_page)
    return on_page


# --- Who reads the note -------------------------------------------------------------------------------


def test_the_authors_organisation_reads_the_note_without_any_consent(case, note, worker, colleague):
    services.add_team_member(case=case, member=colleague, by=worker)
    assert reads_note(worker, case)
    assert reads_note(colleague, case)


def test_another_organisations_team_member_does_not_read_the_note_without_consent(case, note, espoo_member):
    assert not reads_note(espoo_member, case)
    # The member still sees the client and the case's administration, only not the record.
    kinds = set(timeline.for_client(case.client, viewer=espoo_member).values_list("kind", flat=True))
    assert {"case.opened", "team.member_added"} <= kinds
    assert "contact.recorded" not in kinds


def test_a_consent_from_the_authors_organisation_shows_the_note(
    case, note, worker, espoo_member, oulu, espoo
):
    assert not reads_note(espoo_member, case)
    consent(case, worker, oulu, espoo)
    assert reads_note(espoo_member, case)


def test_a_note_written_after_the_consent_is_shown_too(case, worker, espoo_member, oulu, espoo):
    consent(case, worker, oulu, espoo)
    services.record_contact(
        case=case,
        by=worker,
        kind="phone",
        happened_on=today(),
        note="Myöhempi muistiinpano",
        register="social",
    )
    assert reads_note(espoo_member, case, "Myöhempi muistiinpano")


def test_the_note_is_hidden_again_once_the_consent_has_expired(case, note, worker, espoo_member, oulu, espoo):
    given = consent(case, worker, oulu, espoo, valid_from=days_ago(30), valid_until=today())
    assert reads_note(espoo_member, case)  # the last day of validity still counts

    # A day passes: the consent's last day is yesterday now.
    Consent.objects.filter(pk=given.pk).update(valid_from=days_ago(31), valid_until=days_ago(1))

    assert not reads_note(espoo_member, case)


def test_a_consent_that_had_already_expired_shows_nothing(case, note, worker, espoo_member, oulu, espoo):
    consent(case, worker, oulu, espoo, valid_from=days_ago(365), valid_until=days_ago(1))
    assert not reads_note(espoo_member, case)


def test_a_consent_that_begins_tomorrow_shows_nothing_yet(case, note, worker, espoo_member, oulu, espoo):
    consent(case, worker, oulu, espoo, valid_from=today() + timedelta(days=1))
    assert not reads_note(espoo_member, case)


def test_revoking_the_consent_today_hides_the_note_again(case, note, worker, espoo_member, oulu, espoo):
    given = consent(case, worker, oulu, espoo, valid_from=days_ago(10))
    assert reads_note(espoo_member, case)

    services.revoke_consent(consent=given, by=worker, revoked_on=today(), note="Asiakas perui suullisesti")

    assert not reads_note(espoo_member, case)
    given.refresh_from_db()
    assert (given.revoked_on, given.revoked_by, given.revocation_note) == (
        today(),
        worker,
        "Asiakas perui suullisesti",
    )
    assert TimelineEntry.objects.filter(kind="consent.revoked").exists()
    assert AuditEvent.objects.filter(action="consent.revoke", client_id=case.client.public_id).exists()


def test_a_revocation_from_tomorrow_leaves_the_note_readable_today(
    case, note, worker, espoo_member, oulu, espoo
):
    given = consent(case, worker, oulu, espoo, valid_from=days_ago(10))
    services.revoke_consent(consent=given, by=worker, revoked_on=today() + timedelta(days=1))
    assert reads_note(espoo_member, case)


def test_a_consent_for_another_register_does_not_show_the_note(case, note, worker, espoo_member, oulu, espoo):
    consent(case, worker, oulu, espoo, covers_social=False, covers_health=True, covers_employment=True)
    assert not reads_note(espoo_member, case)

    services.record_contact(
        case=case,
        by=worker,
        kind="meeting",
        happened_on=today(),
        note="Terveydenhoidon kirjaus",
        register="health",
    )
    assert reads_note(espoo_member, case, "Terveydenhoidon kirjaus")
    assert not reads_note(espoo_member, case)


def test_a_consent_in_the_other_direction_does_not_show_the_note(
    case, note, worker, espoo_member, oulu, espoo
):
    consent(case, worker, espoo, oulu)  # Espoo may disclose to Oulu, not the other way round
    assert not reads_note(espoo_member, case)


def test_a_consent_to_a_third_organisation_does_not_show_the_note(case, note, worker, espoo_member, oulu):
    consent(case, worker, oulu, make_organisation(name="Kolmas kunta"))
    assert not reads_note(espoo_member, case)


def test_a_consent_for_another_client_does_not_show_the_note(case, note, worker, espoo_member, oulu, espoo):
    other = make_case(by=worker, opened_on=days_ago(10), identity_code=synthetic_identity_code())
    consent(other, worker, oulu, espoo)
    assert not reads_note(espoo_member, case)


def test_the_recipients_own_notes_reach_the_author_organisation_only_under_its_own_consent(
    case, worker, espoo_member, oulu, espoo
):
    services.record_contact(
        case=case,
        by=espoo_member,
        kind="meeting",
        happened_on=today(),
        note="Espoon kirjaus",
        register="employment",
    )
    consent(case, worker, oulu, espoo, covers_employment=True)  # Oulu to Espoo only
    assert reads_note(espoo_member, case, "Espoon kirjaus")
    assert not reads_note(worker, case, "Espoon kirjaus")

    consent(case, worker, espoo, oulu, covers_social=False, covers_employment=True)
    assert reads_note(worker, case, "Espoon kirjaus")


def test_every_member_of_the_recipient_organisation_on_the_team_reads_the_note(
    case, note, worker, espoo_member, oulu, espoo
):
    espoo_nurse = make_membership(unit=make_unit(organisation=espoo, name="Terveysasema"), role=Role.NURSE)
    services.add_team_member(case=case, member=espoo_nurse, by=worker)
    consent(case, worker, oulu, espoo)
    assert reads_note(espoo_nurse, case)


# --- Recording and revoking ---------------------------------------------------------------------------


def test_a_recorded_consent_is_stored_with_its_registers_on_the_timeline_and_audited(
    case, worker, oulu, espoo
):
    given = consent(case, worker, oulu, espoo, covers_health=True, valid_until=today() + timedelta(days=365))
    given.refresh_from_db()
    assert given.registers == [Register.SOCIAL, Register.HEALTH]
    assert (given.recorded_by, given.discloser, given.recipient) == (worker, oulu, espoo)
    assert given.is_valid_on()
    with translation.override("en"):
        assert given.state() == "Valid"
    entry = TimelineEntry.objects.get(kind="consent.recorded")
    assert entry.params == {"discloser": oulu.name, "recipient": espoo.name}
    assert AuditEvent.objects.get(action="consent.record").details == {"registers": ["social", "health"]}


@pytest.mark.parametrize(
    "values, field",
    [
        ({"covers_social": False}, "covers_social"),
        ({"valid_from": today(), "valid_until": today() - timedelta(days=1)}, "valid_until"),
        ({"method": "verbal_with_witness", "witness": "  "}, "witness"),
        ({"purpose": ""}, "purpose"),
        ({"method": "telepathy"}, "method"),
    ],
)
def test_an_invalid_consent_is_refused_and_nothing_is_stored(case, worker, oulu, espoo, values, field):
    with pytest.raises(ValidationError) as refused:
        consent(case, worker, oulu, espoo, **values)
    assert field in refused.value.message_dict
    assert not Consent.objects.exists()
    assert not TimelineEntry.objects.filter(kind="consent.recorded").exists()


def test_a_consent_needs_two_different_organisations(case, worker, oulu):
    with pytest.raises(ValidationError) as refused:
        consent(case, worker, oulu, oulu)
    assert "recipient" in refused.value.message_dict
    assert not Consent.objects.exists()


def test_a_verbal_consent_with_its_witness_is_accepted(case, worker, oulu, espoo):
    given = consent(case, worker, oulu, espoo, method="verbal_with_witness", witness="Sari Sosiaaliohjaaja")
    assert given.witness == "Sari Sosiaaliohjaaja"


def test_someone_not_on_the_clients_team_cannot_record_a_consent(case, outsider, oulu, espoo):
    with pytest.raises(Http404):
        consent(case, outsider, oulu, espoo)
    assert not Consent.objects.exists()


def test_a_consent_cannot_be_revoked_twice_nor_before_it_began(case, worker, oulu, espoo):
    given = consent(case, worker, oulu, espoo, valid_from=days_ago(5))
    with pytest.raises(ValidationError) as refused:
        services.revoke_consent(consent=given, by=worker, revoked_on=days_ago(6))
    assert "revoked_on" in refused.value.message_dict

    services.revoke_consent(consent=given, by=worker, revoked_on=today())
    with pytest.raises(ValidationError):
        services.revoke_consent(consent=given, by=worker, revoked_on=today())
    given.refresh_from_db()
    assert given.revoked_on == today()
    assert TimelineEntry.objects.filter(kind="consent.revoked").count() == 1


def test_another_organisations_case_administration_stays_with_that_organisation(worker, outsider):
    """A hand-over note or status note on Oulu's case is Oulu's record: an Espoo worker who opens her
    own case for the same person sees neither the note nor Oulu's case."""
    from polku.clients import selectors, services, timeline
    from polku.clients.models import Case, CaseStatus
    from tests.factories import make_case_after_break_glass, make_client, synthetic_identity_code

    code = synthetic_identity_code()
    client = make_client(by=worker, identity_code=code)
    oulu_case = Case.objects.get(client=client)
    services.change_status(
        case=oulu_case, status=CaseStatus.SCREENING, by=worker, note="Oulun sisäinen huomio"
    )
    make_case_after_break_glass(by=outsider, client=client)

    texts = [entry.text for entry in timeline.for_client(client, viewer=outsider)]
    assert "Oulun sisäinen huomio" not in texts
    assert [case.unit for case in selectors.cases_of(client, viewer=outsider)] == [outsider.unit]
    assert "Oulun sisäinen huomio" in [entry.text for entry in timeline.for_client(client, viewer=worker)]


def test_the_overviews_timeline_page_shows_exactly_what_the_timeline_rule_allows(
    case, note, worker, espoo_member, oulu, espoo
):
    """`timeline.page_for` is the rule of `timeline.for_client` written as SQL: same entries, same order,
    for the author's organisation and another organisation's team member, before and after a consent
    (health records stay hidden under a consent that covers only social welfare)."""
    services.record_contact(
        case=case, by=worker, kind="phone", happened_on=days_ago(1), note="Terveys", register=Register.HEALTH
    )

    def agree(viewer) -> list[str]:
        page = [
            (item.at, item.kind, item.text)
            for item in timeline.page_for(case.client, viewer=viewer, page=None).object_list
        ]
        rule = list(timeline.for_client(case.client, viewer=viewer).values_list("at", "kind", "text")[:20])
        assert page == rule
        return [text for _at, _kind, text in page]

    assert NOTE in agree(worker) and "Terveys" in agree(worker)
    assert NOTE not in agree(espoo_member)
    consent(case, worker, oulu, espoo)
    shown = agree(espoo_member)
    assert NOTE in shown and "Terveys" not in shown


def test_the_overviews_sql_timeline_leaves_out_another_organisations_record_until_its_consent(
    case, worker, espoo_member, oulu, espoo
):
    """The SQL path of `timeline.page_for` (the viewer who sees every organisation's part, here the
    client's own personal worker in Oulu) hides the Espoo team member's health note as `for_client` does,
    and shows it under Espoo's consent to Oulu covering health."""
    from polku.clients import access

    services.record_contact(
        case=case,
        by=espoo_member,
        kind="phone",
        happened_on=days_ago(1),
        note="Espoon terveys",
        register=Register.HEALTH,
    )

    def shown() -> list[str]:
        page = [
            (item.at, item.kind, item.text)
            for item in timeline.page_for(case.client, viewer=worker, page=None).object_list
        ]
        rule = list(timeline.for_client(case.client, viewer=worker).values_list("at", "kind", "text")[:20])
        assert page == rule
        return [text for _at, _kind, text in page]

    assert access.own_part(worker, case.client) is None  # the SQL path, not `_visible` itself
    assert "Espoon terveys" not in shown()
    consent(case, worker, espoo, oulu, covers_social=False, covers_health=True)
    assert "Espoon terveys" in shown()
