"""The overview's "Support needs" section and the pages that mark a need acted on or dismissed."""

import pytest

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.screening.models import NeedStatus, SupportNeed
from tests.clients.conftest import EN, days_ago, text
from tests.conftest import client_as


def act_url(need):
    return f"/needs/{need.public_id}/act/"


def dismiss_url(need):
    return f"/needs/{need.public_id}/dismiss/"


def state():
    return list(
        SupportNeed.objects.order_by("id").values_list("id", "status", "action_id", "dismissal_reason")
    )


def test_the_overview_shows_the_need_with_its_evidence_and_actions(worker, case, phq9_need):
    page = text(client_as(worker).get(f"/clients/{case.client.public_id}/", **EN))
    assert "Support needs" in page and "Mental health" in page
    assert "PHQ-9 score 12 (threshold: at least 10), PHQ-9, 1.3.2026" in page and "rule version 1" in page
    assert "phq9.score" not in page
    assert act_url(phq9_need) in page and dismiss_url(phq9_need) in page


def test_the_overview_without_needs_says_so(worker, case):
    assert "No support needs flagged." in text(
        client_as(worker).get(f"/clients/{case.client.public_id}/", **EN)
    )


def test_a_team_member_not_managing_sees_the_need_but_no_actions_after_the_case_closes(
    worker, case, phq9_need
):
    client_services.close_case(case=case, outcome="studies", by=worker)
    # The worker no longer sees the client at all once the case has closed.
    assert client_as(worker).get(f"/clients/{case.client.public_id}/").status_code == 404
    assert client_as(worker).get(dismiss_url(phq9_need)).status_code == 404


def test_the_worker_marks_the_need_acted_on_with_the_case(worker, case, phq9_need):
    browser = client_as(worker)
    page = text(browser.get(act_url(phq9_need), **EN))
    assert "What was done" in page and "The case in PALO-tiimi" in page
    response = browser.post(act_url(phq9_need), {"action": f"case:{case.public_id}", "note": "Ajanvaraus"})
    assert response.status_code == 302
    phq9_need.refresh_from_db()
    assert phq9_need.status == NeedStatus.ACTED_ON
    page = text(browser.get(f"/clients/{case.client.public_id}/", **EN))
    assert f'href="/clients/{case.client.public_id}/"' in page and "Acted on:" in page


def test_the_worker_marks_the_need_acted_on_with_a_contact(worker, case, phq9_need):
    contact = client_services.record_contact(
        case=case, by=worker, kind="phone", happened_on=days_ago(2), note="Soitto", register="employment"
    )
    response = client_as(worker).post(act_url(phq9_need), {"action": f"contact:{contact.public_id}"})
    assert response.status_code == 302
    phq9_need.refresh_from_db()
    assert phq9_need.action_id == str(contact.public_id)


def test_acting_without_choosing_what_was_done_is_400_and_changes_nothing(worker, case, phq9_need):
    before = state()
    response = client_as(worker).post(
        act_url(phq9_need), {"action": "case:00000000-0000-0000-0000-000000000000"}, **EN
    )
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert state() == before


def test_the_worker_dismisses_the_need_with_a_reason(worker, case, phq9_need):
    response = client_as(worker).post(
        dismiss_url(phq9_need), {"reason": "Hoitosuhde psykiatrialla jo olemassa"}
    )
    assert response.status_code == 302
    phq9_need.refresh_from_db()
    assert phq9_need.status == NeedStatus.DISMISSED
    assert "Hoitosuhde psykiatrialla" in text(client_as(worker).get(f"/clients/{case.client.public_id}/"))


def test_dismissing_without_a_reason_is_400_and_changes_nothing(worker, case, phq9_need):
    before = state()
    response = client_as(worker).post(dismiss_url(phq9_need), {"reason": ""}, **EN)
    assert response.status_code == 400
    assert "Reason: This field is required." in text(response)
    assert state() == before


def test_a_closed_need_cannot_be_changed_again(worker, case, phq9_need):
    client_as(worker).post(dismiss_url(phq9_need), {"reason": "Ei tarvetta nyt"})
    before = state()
    response = client_as(worker).post(dismiss_url(phq9_need), {"reason": "Uudelleen"}, **EN)
    assert response.status_code == 400 and "already been acted on or dismissed" in text(response)
    assert state() == before


@pytest.mark.parametrize("url", [act_url, dismiss_url])
@pytest.mark.parametrize("who", ["outsider", "unit_nurse", "manager"])
def test_people_outside_the_case_team_get_404_and_the_refusal_is_audited(request, phq9_need, url, who):
    membership = request.getfixturevalue(who)
    before = state()
    browser = client_as(membership)
    assert browser.get(url(phq9_need)).status_code == 404
    assert browser.post(url(phq9_need), {"reason": "Ei tarvetta", "action": "x"}).status_code == 404
    assert state() == before
    refusals = AuditEvent.objects.filter(action="permission.refused", membership=membership)
    assert refusals.filter(details__action="need.manage").count() == 2


def test_an_unknown_need_is_404(worker, case):
    assert client_as(worker).get("/needs/00000000-0000-0000-0000-000000000000/act/").status_code == 404
