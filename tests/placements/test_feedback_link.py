"""The host's feedback through an emailed link: it works once and expires. A used link says that the
feedback was received (tests/placements/test_host_feedback.py); an expired, replaced, altered or guessed
link gets the same page and status, audited without the token or the client."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from polku.audit.models import AuditEvent
from polku.clients.models import TimelineEntry
from polku.placements import feedback_views
from polku.placements.models import Feedback, FeedbackRequest
from polku.placements.services import hash_token
from tests.conftest import client_as
from tests.placements.conftest import EN, events, sent_token, text

SEND = "/placements/{}/feedback/send/"

ANSWERS = {
    "rating_attendance": "5",
    "rating_instructions": "4",
    "rating_pace": "3",
    "rating_quality": "4",
    "rating_cooperation": "5",
    "rating_endurance": "0",  # could not observe
    "rating_learning": "4",
    "rating_initiative": "2",
    "strengths": "Täsmällinen ja ystävällinen.",
    "to_develop": "Oma-aloitteisuus.",
    "recommendation": "more_demanding",
    "recommendation_note": "",
    "given_by": "Pekka Ohjaaja",
}


def send_link(placement, worker, stage="mid_term") -> str:
    """The worker sends the link; the email goes once the transaction has committed."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_as(worker).post(
            SEND.format(placement.public_id), {"stage": stage, "email": placement.supervisor_email}, **EN
        )
    assert response.status_code == 302, text(response)
    return sent_token()


@pytest.fixture
def token(placement, worker) -> str:
    return send_link(placement, worker)


def refused_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="placement.feedback_link.refused").order_by("id"))


def open_link(browser: Client, token: str):
    return browser.get(f"/feedback/{token}/", **EN)


def test_the_worker_sends_the_supervisor_a_link_and_only_its_hash_is_stored(placement, token):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [placement.supervisor_email]
    request = FeedbackRequest.objects.get()
    assert request.token_hash == hash_token(token)
    assert token not in request.token_hash
    assert len(token) >= 43
    assert request.expires_at - request.sent_at == timedelta(days=14)
    # The email names the placement but not the client.
    assert placement.client.last_name not in message.body


def test_the_link_lifetime_comes_from_settings(placement, worker, settings):
    settings.POLKU_PLACEMENT_FEEDBACK_LINK_DAYS = 3
    send_link(placement, worker)
    request = FeedbackRequest.objects.get()
    assert request.expires_at - request.sent_at == timedelta(days=3)


def test_the_supervisor_answers_without_an_account_and_the_worker_sees_the_feedback(placement, worker, token):
    browser = Client()
    response = open_link(browser, token)
    assert response.status_code == 302
    assert response["Location"] == "/feedback/form/"
    form = browser.get("/feedback/form/", **EN)
    page = text(form)
    assert form.status_code == 200
    assert "Aino Asiakas" in page
    assert placement.tasks in page
    assert "Mid-term feedback" in page
    # Nothing else about the client: no identity code, no case, no links to staff pages.
    assert placement.client.identity_code_masked not in page
    assert "/clients/" not in page

    done = browser.post("/feedback/form/", ANSWERS, **EN)
    assert done.status_code == 302
    assert done["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    assert feedback.ratings["attendance"] == 5
    assert feedback.ratings["endurance"] is None
    assert feedback.stage == "mid_term"
    assert FeedbackRequest.objects.get().used_at is not None
    assert events("placement.feedback_submit", placement.client)
    entry = TimelineEntry.objects.get(kind="placement.feedback_received")
    assert entry.client == placement.client

    detail = text(client_as(worker).get(f"/placements/{placement.public_id}/", **EN))
    assert "Täsmällinen ja ystävällinen." in detail
    assert "Could not observe" in detail
    assert "Continue with more demanding tasks or longer days" in detail
    overview = text(client_as(worker).get(f"/clients/{placement.client.public_id}/", **EN))
    assert "Mid-term feedback received from" in overview


def test_an_incomplete_answer_is_shown_again_with_what_was_typed(placement, token):
    browser = Client()
    open_link(browser, token)
    answers = {**ANSWERS, "rating_pace": "", "recommendation": "other"}
    response = browser.post("/feedback/form/", answers, **EN)
    page = text(response)
    assert response.status_code == 400
    assert "Choose a rating, or “Could not observe”." in page
    assert "Tell briefly what you recommend." in page
    assert "Täsmällinen ja ystävällinen." in page
    assert not Feedback.objects.exists()
    assert FeedbackRequest.objects.get().used_at is None


def assert_refused_alike(response) -> None:
    assert response.status_code == 404
    page = text(response)
    assert "The feedback link does not work" in page
    assert "Aino" not in page and "Asiakas" not in page


def test_a_used_link_does_not_open_the_form_again_and_is_audited(placement, token):
    browser = Client()
    open_link(browser, token)
    browser.post("/feedback/form/", ANSWERS, **EN)
    used = open_link(Client(), token)
    assert used.status_code == 200
    assert "The feedback has been received" in text(used)
    assert "Send the feedback" not in text(used)
    # The same browser cannot answer again either.
    again = browser.post("/feedback/form/", ANSWERS, **EN)
    assert again.status_code == 409
    assert Feedback.objects.count() == 1
    used_events = AuditEvent.objects.filter(action="placement.feedback_link.used")
    assert used_events.count() == 2
    assert all(event.client_id is None and token not in str(event.details) for event in used_events)


def test_an_expired_link_is_refused(placement, token):
    FeedbackRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused_alike(open_link(Client(), token))
    assert refused_events()[-1].details["reason"] == "expired"


def test_a_link_that_expires_while_the_form_is_open_is_refused_on_sending(placement, token):
    browser = Client()
    open_link(browser, token)
    FeedbackRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused_alike(browser.post("/feedback/form/", ANSWERS, **EN))
    assert not Feedback.objects.exists()


def test_a_newer_link_replaces_the_older_one(placement, worker, token):
    newer = send_link(placement, worker)
    assert_refused_alike(open_link(Client(), token))
    assert open_link(Client(), newer).status_code == 302


def test_altered_and_guessed_links_are_refused_alike(placement, token):
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for attempt in (altered, "x" * 43, "guess"):
        assert_refused_alike(open_link(Client(), attempt))
    assert [event.details["reason"] for event in refused_events()] == ["unknown"] * 3
    # The form without a link in the session shows the same page.
    assert_refused_alike(Client().get("/feedback/form/", **EN))


def test_refusals_are_audited_without_the_token_or_the_client(placement, token):
    FeedbackRequest.objects.update(expires_at=timezone.now())
    open_link(Client(), token)
    open_link(Client(), token[::-1])
    for event in refused_events():
        assert event.client_id is None
        assert event.object_id == ""
        assert token not in str(event.details)
        assert token[::-1] not in str(event.details)


def test_the_token_never_reaches_logs_or_the_audit_log(placement, worker, caplog):
    caplog.set_level(logging.DEBUG)
    token = send_link(placement, worker)
    browser = Client()
    open_link(browser, token)
    browser.post("/feedback/form/", ANSWERS, **EN)
    open_link(Client(), token)  # used: received, and Django's request logger stays quiet about the path
    assert token not in caplog.text
    token_hash = hash_token(token)
    for event in AuditEvent.objects.all():
        stored = f"{event.object_id} {event.reason} {event.details}"
        assert token not in stored and token_hash not in stored
    assert not TimelineEntry.objects.filter(params__icontains=token).exists()


def test_many_failed_links_from_one_address_are_stopped(placement, token, monkeypatch):
    monkeypatch.setattr(feedback_views, "FAILURE_LIMIT", 3)
    browser = Client()
    for n in range(3):
        assert open_link(browser, f"guess{n}").status_code == 404
    # From now on even the right link waits: the address has guessed too often.
    response = open_link(browser, token)
    assert response.status_code == 429
    assert "The feedback link does not work" in text(response)
    assert refused_events()[-1].details["reason"] == "rate_limited"


def test_the_feedback_form_works_under_the_content_security_policy(placement, token):
    browser = Client()
    open_link(browser, token)
    response = browser.get("/feedback/form/", **EN)
    assert "Content-Security-Policy" in response
    assert "<script>" not in response.content.decode()
    assert " on" + "click=" not in response.content.decode()


def test_final_feedback_cannot_be_asked_twice(placement, worker, token):
    browser = Client()
    open_link(browser, token)
    browser.post("/feedback/form/", ANSWERS, **EN)
    response = client_as(worker).post(
        SEND.format(placement.public_id), {"stage": "mid_term", "email": placement.supervisor_email}, **EN
    )
    assert response.status_code == 400
    assert "The host has already given this feedback." in text(response)


def test_the_feedback_entry_is_a_record_of_the_placements_register_and_organisation(
    placement, worker, outsider, token
):
    """The host's answer has no acting member: the entry still belongs to the placement's organisation
    and register, so another organisation on the team does not see the host or supervisor's name."""
    from polku.clients import services as client_services
    from tests.placements.conftest import days_ago

    browser = Client()
    open_link(browser, token)
    assert browser.post("/feedback/form/", ANSWERS, **EN).status_code == 302
    entry = TimelineEntry.objects.get(kind="placement.feedback_received")
    assert entry.register == placement.register != ""
    assert entry.organisation_id == placement.organisation_id
    client_services.add_team_member(case=placement.case, member=outsider, by=worker, started_on=days_ago(3))

    page = text(client_as(outsider).get(f"/clients/{placement.client.public_id}/", **EN))

    assert "Pekka Ohjaaja" not in page and "feedback received" not in page
    assert "Pekka Ohjaaja" in text(client_as(worker).get(f"/clients/{placement.client.public_id}/", **EN))


def test_djangos_request_log_masks_the_token_of_a_refused_link(placement, worker):
    token = send_link(placement, worker)
    FeedbackRequest.objects.update(expires_at=timezone.now())
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(handler)
    try:
        assert open_link(Client(), token).status_code == 404  # expired: refused, and logged by Django
    finally:
        request_logger.removeHandler(handler)
    messages = [record.getMessage() for record in records]
    assert any("/feedback/[link]" in message for message in messages)
    assert not any(token in message for message in messages)
