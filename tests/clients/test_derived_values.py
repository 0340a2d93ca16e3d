"""Values derived from records obey the records' disclosure rules: a health contact the county's nurse
writes, which the client has not consented to disclose to the city, changes nothing the city's worker
sees on the caseload — not the "Last contact" date, not the sort order by it, not the "no contact in 90
days" filter or flag."""

from polku.accounts.models import OrganisationKind, Role
from polku.clients import selectors, services
from polku.clients.models import Register
from polku.clients.pages import CaseloadRow
from tests.clients.conftest import days_ago, open_case_for
from tests.factories import make_membership, make_organisation, make_unit


def caseload(worker, **filters):
    page = selectors.caseload_page(
        viewer=worker, filters=selectors.CaseloadFilters(**filters), number=None, size=25
    )
    return list(page.object_list)


def test_a_hidden_health_contact_changes_nothing_the_worker_sees_on_the_caseload(worker):
    county = make_organisation(name="Hyvinvointialue (testi)", kind=OrganisationKind.WELLBEING_COUNTY)
    nurse = make_membership(unit=make_unit(organisation=county, name="Terveysasema"), role=Role.NURSE)
    quiet = open_case_for(worker, first_names="Hiljainen", last_name="Aalto", opened_on=days_ago(200))
    talked = open_case_for(worker, first_names="Puhuttu", last_name="Bäck", opened_on=days_ago(200))
    services.record_contact(
        case=talked,
        by=worker,
        kind="meeting",
        happened_on=days_ago(150),
        note="Tavattiin.",
        register=Register.EMPLOYMENT,
    )
    services.add_team_member(case=quiet, member=nurse, by=worker, started_on=days_ago(100))
    before = {
        "rows": [(row.name, row.last_contact, row.flags) for row in CaseloadRow.all_of(caseload(worker))],
        "by_contact": [case.pk for case in caseload(worker, sort="last_contact")],
        "no_contact": {case.pk for case in caseload(worker, flag=selectors.Flag.NO_RECENT_CONTACT)},
    }

    services.record_contact(
        case=quiet,
        by=nurse,
        kind="meeting",
        happened_on=days_ago(2),
        note="Terveystapaaminen.",
        register=Register.HEALTH,
    )

    after = {
        "rows": [(row.name, row.last_contact, row.flags) for row in CaseloadRow.all_of(caseload(worker))],
        "by_contact": [case.pk for case in caseload(worker, sort="last_contact")],
        "no_contact": {case.pk for case in caseload(worker, flag=selectors.Flag.NO_RECENT_CONTACT)},
    }
    assert after == before
    assert quiet.pk in after["no_contact"]
    # The nurse, whose record it is, sees it.
    [row] = [row for row in CaseloadRow.all_of(caseload(nurse)) if row.name.startswith("Aalto")]
    assert row.last_contact == days_ago(2)


def test_the_access_report_and_the_export_leave_out_events_about_records_the_worker_may_not_read(worker):
    from polku.audit.models import AuditEvent
    from polku.clients.export import client_export

    county = make_organisation(name="Hyvinvointialue (testi)", kind=OrganisationKind.WELLBEING_COUNTY)
    nurse = make_membership(unit=make_unit(organisation=county, name="Terveysasema"), role=Role.NURSE)
    case = open_case_for(worker, first_names="Hiljainen", last_name="Aalto", opened_on=days_ago(200))
    services.add_team_member(case=case, member=nurse, by=worker, started_on=days_ago(100))
    own = services.record_contact(
        case=case,
        by=worker,
        kind="meeting",
        happened_on=days_ago(3),
        note="Tavattiin.",
        register="employment",
    )

    def report():
        return [
            (event.action, event.object_id) for event in selectors.access_report(case.client, viewer=worker)
        ]

    def logged():
        return [
            (row["action"], row["organisation"])
            for row in client_export(case.client, viewer=worker)["access_log"]
        ]

    assert ("contact.record", str(own.public_id)) in report()

    county_worker = make_membership(unit=nurse.unit, role=Role.PERSONAL_WORKER)
    services.add_team_member(case=case, member=county_worker, by=worker, started_on=days_ago(100))
    before, logged_before = report(), logged()
    hidden = services.record_contact(
        case=case,
        by=nurse,
        kind="meeting",
        happened_on=days_ago(2),
        note="Terveys.",
        register=Register.HEALTH,
    )
    counties_case = services.open_case(client=case.client, by=county_worker, source="self_referral")

    assert report() == before
    assert logged() == logged_before
    # The events are kept, and the nurse's organisation's report shows them.
    assert AuditEvent.objects.filter(object_id=str(hidden.public_id)).exists()
    nurses = [event.object_id for event in selectors.access_report(case.client, viewer=nurse)]
    assert {str(hidden.public_id), str(counties_case.public_id)} <= set(nurses)
