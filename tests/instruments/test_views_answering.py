"""Filling in a questionnaire in a case: the list, the form, drafts, required answers, the result page."""

from __future__ import annotations

import pytest

from polku.audit.models import AuditEvent
from polku.instruments import services
from polku.instruments.models import Response, SafetyAlert
from tests.clients.conftest import EN, text
from tests.conftest import client_as
from tests.instruments.conftest import answers_for, record, version
from tests.queries import AUDIT_EVENT


def post_answers(browser, url, answers, action="submit"):
    data = {f"item_{link_id}": value for link_id, value in answers.items()}
    return browser.post(url, {**data, "action": action}, **EN)


def test_the_case_lists_the_questionnaires_to_fill_in(worker, case):
    response = client_as(worker).get(f"/cases/{case.public_id}/questionnaires/", **EN)

    assert response.status_code == 200
    page = text(response)
    for title in (
        "Work Ability Score (WAS)",
        "PHQ-9",
        "GAD-7",
        "AUDIT-C",
        "functional capacity self-assessment",
    ):
        assert title in page


def test_the_form_shows_each_question_in_a_fieldset_with_its_legend(worker, case):
    response = client_as(worker).get(f"/cases/{case.public_id}/questionnaires/phq9/", **EN)

    page = text(response)
    assert response.status_code == 200
    assert page.count('<fieldset class="hds-fieldset polku-field polku-question') == 9
    assert "9. Thoughts that you would be better off dead" in page
    assert 'type="radio" name="item_9"' in page


def test_submitting_scores_the_answers_and_shows_the_band_and_action(worker, case):
    browser = client_as(worker)
    url = f"/cases/{case.public_id}/questionnaires/was/"

    response = post_answers(browser, url, {"1": 6})

    stored = Response.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/questionnaire-responses/{stored.public_id}/"
    assert (stored.total_score, stored.band.code, stored.entered_by, stored.case) == (
        6,
        "moderate",
        worker,
        case,
    )
    assert stored.answered_by == "staff_with_client"
    result = text(browser.get(response["Location"], **EN))
    assert "Moderate" in result
    assert "Find out with the client what limits their work ability" in result


def test_a_missing_required_answer_is_refused_with_a_message_and_nothing_is_stored(worker, case):
    v = version("phq9")
    answers = answers_for(v, 5)
    del answers["4"]

    response = post_answers(client_as(worker), f"/cases/{case.public_id}/questionnaires/phq9/", answers)

    assert response.status_code == 400
    assert "Answer this question; it is required." in text(response)
    assert 'href="#id_item_4"' in text(response)
    assert Response.objects.count() == 0


def test_an_answer_outside_the_options_is_refused(worker, case):
    response = post_answers(client_as(worker), f"/cases/{case.public_id}/questionnaires/was/", {"1": 11})

    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_partial_answers_are_saved_as_a_draft_and_completed_later(worker, case):
    browser = client_as(worker)
    response = post_answers(
        browser, f"/cases/{case.public_id}/questionnaires/phq9/", {"1": "2"}, action="save"
    )

    draft = Response.objects.get()
    assert response.status_code == 302
    assert (draft.is_completed, draft.answers, draft.total_score) == (False, {"1": "2"}, None)
    form = text(browser.get(f"/questionnaire-responses/{draft.public_id}/", **EN))
    assert 'value="2" id="id_item_1_2" checked' in form
    answers = answers_for(version("phq9"), 12, **{"1": "2"})

    post_answers(browser, f"/questionnaire-responses/{draft.public_id}/", answers)

    draft.refresh_from_db()
    assert (draft.is_completed, draft.total_score, draft.band.code) == (True, 12, "moderate")
    assert Response.objects.count() == 1


def test_item_9_above_zero_shows_the_safety_guidance_at_once(worker, case):
    browser = client_as(worker)
    answers = answers_for(version("phq9"), 3, **{"9": "1"})

    response = post_answers(browser, f"/cases/{case.public_id}/questionnaires/phq9/", answers)
    result = text(browser.get(response["Location"], **EN))

    assert SafetyAlert.objects.count() == 1
    assert "Safety alert: PHQ-9 question 9" in result
    assert "If there is immediate danger, call 112" in result


def test_a_correction_is_a_new_response_and_the_old_one_stays(worker, case):
    old = record(case, "was", 4)
    browser = client_as(worker)

    response = browser.post(f"/questionnaire-responses/{old.public_id}/correct/", **EN)
    draft = Response.objects.get(supersedes=old)
    post_answers(browser, response["Location"], {"1": 7})

    draft.refresh_from_db()
    old.refresh_from_db()
    assert (old.total_score, old.answers) == (4, {"1": 4})
    assert (draft.total_score, draft.supersedes, draft.is_completed) == (7, old, True)
    assert list(Response.objects.current()) == [draft]


def test_the_result_page_is_an_audited_read(worker, case):
    stored = record(case, "gad7", 10)

    client_as(worker).get(f"/questionnaire-responses/{stored.public_id}/")

    assert AuditEvent.objects.filter(action="response.view", client_id=case.client.public_id).count() == 1


# Measured: session, the user with their active memberships, the case, the viewer's facts about its client (on-team, clients.access.ClientFacts), the case's responses, the
# audit event (AUDIT_EVENT, tests/queries.py), the published versions, the
# consents valid today (read once).
CASE_QUESTIONNAIRES_QUERIES = 7 + AUDIT_EVENT


@pytest.mark.parametrize("count", [1, 12])
def test_the_questionnaires_of_a_case_run_the_same_queries_with_one_and_with_twelve(
    worker, case, count, django_assert_num_queries
):
    for n in range(count):
        record(case, "was", n % 11)
        services.save_draft(case=case, version=version("gad7"), answers={"1": "1"}, by=worker)
    browser = client_as(worker)
    browser.get(f"/cases/{case.public_id}/questionnaires/")

    with django_assert_num_queries(CASE_QUESTIONNAIRES_QUERIES):
        response = browser.get(f"/cases/{case.public_id}/questionnaires/")

    assert len(response.context["completed"]) == count
    assert len(response.context["drafts"]) == count
