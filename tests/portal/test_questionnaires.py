"""Questionnaires the team asks me to fill in: the worker asks from the client overview, I see it waiting
on my home page, answer it in my own Polku (saved as I go), it is scored as staff entry scores it, and a
PHQ-9 item 9 above 0 shows me crisis guidance at once and raises the team's safety alert."""

from __future__ import annotations

import uuid

import pytest

from polku.audit.models import AuditEvent
from polku.instruments import scoring
from polku.instruments import services as instrument_services
from polku.instruments.models import AnsweredBy, Response, SafetyAlert
from polku.portal.models import QuestionnaireRequest
from polku.screening.models import NeedKind, SupportNeed
from tests.clients.conftest import open_case_for
from tests.conftest import client_as
from tests.instruments.conftest import answers_for, version
from tests.portal.test_pages import page, portal_as

pytestmark = pytest.mark.django_db


def ask(worker, case, code: str = "phq9") -> QuestionnaireRequest:
    response = client_as(worker).post(f"/clients/cases/{case.public_id}/questionnaires/", {"code": code})
    assert response.status_code == 302
    return QuestionnaireRequest.objects.get(case=case, version__instrument__code=code)


def form_data(answers: dict, action: str) -> dict:
    return {**{f"item_{link_id}": value for link_id, value in answers.items()}, "action": action}


def test_the_worker_asks_and_the_request_is_audited_and_waiting_on_my_home(case, worker):
    overview = page(client_as(worker).get(f"/clients/{case.client.public_id}/"))
    assert 'name="code"' in overview and "portal-questionnaire" in overview
    request = ask(worker, case)
    assert (request.client, request.requested_by, request.completed_at) == (case.client, worker, None)
    assert AuditEvent.objects.filter(
        action="portal.questionnaire.request", client_id=case.client.public_id
    ).exists()
    # Asking again while it is open does not make a second one.
    ask(worker, case)
    assert QuestionnaireRequest.objects.count() == 1
    home = page(portal_as(case.client).get("/portal/home/"))
    assert f"/portal/questionnaires/{request.public_id}/" in home
    assert 'data-testid="questionnaire-waiting"' in home


def test_another_organisation_and_a_non_member_cannot_ask(case, outsider, colleague):
    staff = client_as(outsider)
    assert staff.post(f"/clients/cases/{case.public_id}/questionnaires/", {"code": "phq9"}).status_code == 404
    # A colleague of the same unit who is not on the case's team is refused too.
    assert client_as(colleague).post(
        f"/clients/cases/{case.public_id}/questionnaires/", {"code": "phq9"}
    ).status_code in (403, 404)
    assert not QuestionnaireRequest.objects.exists()


def test_i_save_as_i_go_then_submit_and_the_score_is_the_staff_score(case, worker):
    request = ask(worker, case, "gad7")
    browser = portal_as(case.client)
    url = f"/portal/questionnaires/{request.public_id}/"
    assert browser.get(url).status_code == 200
    full = answers_for(version("gad7"), 9)
    partial = dict(list(full.items())[:3])
    saved = browser.post(url, form_data(partial, "save"))
    assert saved.status_code == 302
    draft = Response.objects.get()
    assert draft.answers == partial and draft.completed_at is None
    assert (draft.answered_by, draft.entered_by) == (AnsweredBy.CLIENT, None)
    # Submitting with required answers missing keeps what was given and says what is missing.
    missing = browser.post(url, form_data(partial, "submit"))
    assert missing.status_code == 400
    assert Response.objects.get().completed_at is None
    assert "checked" in missing.content.decode()

    done = browser.post(url, form_data(full, "submit"))
    assert done.status_code == 200
    assert 'data-testid="questionnaire-done"' in done.content.decode()
    response = Response.objects.get()
    expected = scoring.score(version("gad7"), response.answers, sex=case.client.sex)
    assert (response.total_score, response.band) == (
        expected.total,
        expected.band,
    ) and response.total_score == 9
    assert response.entered_by is None and response.organisation == case.unit.organisation
    request.refresh_from_db()
    assert request.response == response and request.completed_at is not None
    event = AuditEvent.objects.get(action="response.complete")
    assert event.details["actor"]["via"] == "portal" and event.membership_id is None
    # No longer waiting; the worker sees the answers on the overview.
    assert 'data-testid="questionnaire-waiting"' not in page(browser.get("/portal/home/"))
    overview = page(client_as(worker).get(f"/clients/{case.client.public_id}/"))
    assert str(response.public_id) in overview
    # A submitted questionnaire cannot be answered again.
    browser.post(url, form_data(full, "submit"))
    assert Response.objects.count() == 1


def test_phq9_item_9_above_0_shows_me_crisis_guidance_and_raises_the_teams_alert(case, worker):
    request = ask(worker, case)
    answers = answers_for(version("phq9"), 12, **{"9": "1"})
    done = portal_as(case.client).post(
        f"/portal/questionnaires/{request.public_id}/", form_data(answers, "submit")
    )
    assert done.status_code == 200
    assert 'data-testid="crisis-guidance"' in done.content.decode()
    alert = SafetyAlert.objects.get()
    assert (alert.client, alert.case, alert.acknowledged_at) == (case.client, case, None)
    overview = page(client_as(worker).get(f"/clients/{case.client.public_id}/"))
    assert "asiakkaan omassa Polussaan antamista vastauksista" in overview


def test_no_crisis_guidance_when_item_9_is_0(case, worker):
    request = ask(worker, case)
    answers = answers_for(version("phq9"), 12, **{"9": "0"})
    done = portal_as(case.client).post(
        f"/portal/questionnaires/{request.public_id}/", form_data(answers, "submit")
    )
    assert 'data-testid="crisis-guidance"' not in done.content.decode()
    assert not SafetyAlert.objects.exists()


def test_another_clients_questionnaire_is_404_and_the_refusal_is_audited(case, worker):
    request = ask(worker, case)
    other = open_case_for(worker).client
    browser = portal_as(other)
    url = f"/portal/questionnaires/{request.public_id}/"
    assert browser.get(url).status_code == 404
    answers = answers_for(version("phq9"), 3)
    assert browser.post(url, form_data(answers, "submit")).status_code == 404
    assert not Response.objects.exists()
    refusals = AuditEvent.objects.filter(action="portal.refused", client_id=case.client.public_id)
    assert refusals.count() == 2


def test_a_staff_session_cannot_answer_in_the_portal(case, worker):
    request = ask(worker, case)
    response = client_as(worker).get(f"/portal/questionnaires/{request.public_id}/")
    assert response.status_code in (302, 404)
    assert not Response.objects.exists()


def test_a_team_member_of_another_organisation_sees_no_request_nor_answers(case, worker, outsider):
    from polku.clients import services as client_services

    client_services.add_team_member(case=case, member=outsider, by=worker)
    request = ask(worker, case)
    answers = answers_for(version("phq9"), 7)
    portal_as(case.client).post(f"/portal/questionnaires/{request.public_id}/", form_data(answers, "submit"))
    overview = page(client_as(outsider).get(f"/clients/{case.client.public_id}/"))
    assert (
        'data-testid="portal-panel-questionnaires"' not in overview and "portal-questionnaire" not in overview
    )
    assert client_as(outsider).post(
        f"/clients/cases/{case.public_id}/questionnaires/", {"code": "gad7"}
    ).status_code in (403, 404)
    assert QuestionnaireRequest.objects.count() == 1


def test_an_unknown_questionnaire_id_is_the_same_404_and_audited_with_me_as_actor(case):
    browser = portal_as(case.client)
    missing = uuid.uuid4()
    assert browser.get(f"/portal/questionnaires/{missing}/").status_code == 404
    refusals = AuditEvent.objects.filter(action="portal.refused", client_id=case.client.public_id)
    assert [event.object_id for event in refusals] == [str(missing)]
    assert refusals.get().details["actor"]["name"] == case.client.full_name


def _outcome(client) -> list[tuple]:
    """The screening's outcome for the client: each need with its evidence (the rule, the facts read)."""
    return [
        (
            need.kind,
            need.priority,
            need.register,
            need.organisation_id,
            need.case_id,
            need.status,
            [(item.rule_id, item.facts, item.source) for item in need.evidence.order_by("id")],
        )
        for need in SupportNeed.objects.filter(client=client).order_by("kind", "id")
    ]


@pytest.mark.parametrize(("code", "total"), [("phq9", 12), ("was", 5)])
def test_my_answers_meeting_a_screening_rule_flag_the_same_need_as_staff_entry(worker, code, total):
    """The same answers, once entered by the worker for one client and once given by another client in
    their own Polku, produce the same support need with the same evidence, in the same organisation."""
    staff_case = open_case_for(worker, first_names="Eeva", last_name="Esimerkki")
    portal_case = open_case_for(worker, first_names="Pirkko", last_name="Portaali")
    answers = answers_for(version(code), total)
    instrument_services.record_response(case=staff_case, version=version(code), answers=answers, by=worker)
    expected = _outcome(staff_case.client)
    assert expected, "the answers meet a screening rule"

    request = ask(worker, portal_case, code)
    done = portal_as(portal_case.client).post(
        f"/portal/questionnaires/{request.public_id}/", form_data(answers, "submit")
    )
    assert done.status_code == 200
    got = _outcome(portal_case.client)
    # The same need, register, organisation and evidence; only the case is the client's own.
    assert [row[:4] + row[5:] for row in got] == [row[:4] + row[5:] for row in expected]
    assert [row[4] for row in got] == [portal_case.pk] * len(got)
    need = SupportNeed.objects.get(client=portal_case.client)
    # No staff member is recorded as having acted: the client is the actor of the flagging.
    assert need.evidence.get().by is None and need.status_changes.get().by is None
    flagged = AuditEvent.objects.get(action="need.flag", client_id=portal_case.client.public_id)
    assert flagged.membership_id is None and flagged.details["actor"]["via"] == "portal"
    # The worker sees the need on the client's overview, as after staff entry.
    overview = page(client_as(worker).get(f"/clients/{portal_case.client.public_id}/"))
    assert str(need.public_id) in overview or need.get_kind_display() in overview


def test_answers_below_every_rule_flag_nothing_from_the_portal(case, worker):
    request = ask(worker, case)
    portal_as(case.client).post(
        f"/portal/questionnaires/{request.public_id}/",
        form_data(answers_for(version("phq9"), 9, **{"9": "0"}), "submit"),
    )
    assert Response.objects.get().completed_at is not None
    assert not SupportNeed.objects.filter(client=case.client).exists()


def test_a_rule_over_two_questionnaires_reads_my_earlier_answers_too(case, worker):
    """An open need gets the new evidence from the client's answers instead of a twin, as staff entry."""
    instrument_services.record_response(
        case=case, version=version("phq9"), answers=answers_for(version("phq9"), 12), by=worker
    )
    request = ask(worker, case, "gad7")
    portal_as(case.client).post(
        f"/portal/questionnaires/{request.public_id}/", form_data(answers_for(version("gad7"), 15), "submit")
    )
    needs = SupportNeed.objects.filter(client=case.client, kind=NeedKind.MENTAL_HEALTH)
    assert needs.count() == 1 and needs.get().evidence.count() == 2
