"""A case's status follows the work done in it (clients/progress.py): forward only, never on a closed
case, each move a history row with its actor and cause; the worker can still correct it by hand. And
the caseload's "no contact in 90 days" is one rule for its filter and the flag on its rows."""

from __future__ import annotations

import pytest

from polku.clients import progress, selectors, services
from polku.clients.models import Case, CaseOutcome, CaseStatus, CaseStatusChange, TimelineEntry
from polku.clients.pages import CaseloadRow
from tests.clients.conftest import EN, days_ago, events, open_case_for, text
from tests.conftest import client_as


def history(case: Case) -> list[tuple[str, str, str, int]]:
    return list(
        CaseStatusChange.objects.filter(case=case)
        .order_by("at", "id")
        .values_list("previous_status", "status", "cause", "by_id")
    )


def test_work_moves_an_identified_case_forward_with_a_history_row_naming_actor_and_cause(case, colleague):
    moved = progress.advance_case(case, cause="assessment.started", by=colleague)

    case.refresh_from_db()
    assert moved and case.status == CaseStatus.ASSESSMENT
    assert history(case)[-1] == (
        CaseStatus.IDENTIFIED,
        CaseStatus.ASSESSMENT,
        "assessment.started",
        colleague.pk,
    )
    [event] = events("case.status", case.client)
    assert event.details == {"status": "assessment", "cause": "assessment.started"}
    entry = TimelineEntry.objects.get(kind="case.status_advanced")
    assert (entry.actor, entry.organisation) == (colleague, case.unit.organisation)


def test_the_timeline_says_what_moved_the_case(case, worker):
    progress.advance_case(case, cause="plan.agreed", by=worker)

    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))

    assert "Status changed to “Active services”: the service plan was agreed" in page


def test_a_case_never_moves_backward(case, worker):
    services.change_status(case=case, status=CaseStatus.ACTIVE_SERVICES, by=worker)
    before = history(case)

    assert not progress.advance_case(case, cause="assessment.started", by=worker)
    assert not progress.advance_case(case, cause="referral.started", by=worker)

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE_SERVICES and history(case) == before


def test_a_case_in_follow_up_stays_there(case, worker):
    services.change_status(case=case, status=CaseStatus.FOLLOW_UP, by=worker)

    assert not progress.advance_case(case, cause="placement.started", by=worker)
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP


def test_a_closed_case_is_left_as_it_is(case, worker):
    services.close_case(case=case, outcome=CaseOutcome.STUDIES, by=worker)
    before = history(case)

    assert not progress.advance_case(case, cause="assessment.started", by=worker)

    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.STUDIES)
    assert history(case) == before


def test_the_worker_can_still_correct_the_status_by_hand(case, worker):
    progress.advance_case(case, cause="plan.agreed", by=worker)

    services.change_status(case=case, status=CaseStatus.PLANNING, by=worker, note="Suunnitelma kesken")

    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING
    assert history(case)[-1] == (CaseStatus.ACTIVE_SERVICES, CaseStatus.PLANNING, "", worker.pk)


@pytest.mark.parametrize(("days", "flagged"), [(89, False), (90, False), (91, True)])
def test_the_no_contact_filter_and_the_row_flag_agree_at_the_90_day_boundary(worker, days, flagged):
    case = open_case_for(worker, first_names="Raja", last_name=f"Tapaus{days}")
    services.record_contact(
        case=case, by=worker, kind="phone", happened_on=days_ago(days), note="Soitto.", register="employment"
    )
    filtered = selectors.caseload_page(
        viewer=worker,
        filters=selectors.CaseloadFilters(flag=selectors.Flag.NO_RECENT_CONTACT),
        number=None,
        size=25,
    ).object_list
    [shown] = selectors.caseload_page(
        viewer=worker, filters=selectors.CaseloadFilters(), number=None, size=25
    ).object_list
    [row] = CaseloadRow.all_of([shown])

    assert (case in filtered) is flagged
    assert (("No contact in 90 days", True) in row.flags) is flagged


def test_a_case_opened_recently_without_contacts_is_not_flagged_by_either(worker):
    case = open_case_for(worker, first_names="Uusi", last_name="Asiakas", opened_on=days_ago(10))
    no_contact = selectors.CaseloadFilters(flag=selectors.Flag.NO_RECENT_CONTACT)
    every = selectors.CaseloadFilters()

    filtered = selectors.caseload_page(viewer=worker, filters=no_contact, number=None, size=25).object_list
    [row] = CaseloadRow.all_of(
        selectors.caseload_page(viewer=worker, filters=every, number=None, size=25).object_list
    )

    assert case not in filtered
    assert all(label != "No contact in 90 days" for label, _alert in row.flags)
