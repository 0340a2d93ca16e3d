"""The host's feedback without the emailed link: a logged-in work trial host of the host unit gives it
from "Placements you host", with the link's form and rules (once for each stage), in their own name and
audited as them; the timeline names them and their employer. A link the answer used up then says the
feedback was received, and a link that was answered says so too (with when, nothing else), while an
unknown, expired or replaced link gets the same refusal as before."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from polku.audit.models import AuditEvent
from polku.clients.models import TimelineEntry
from polku.placements.models import Feedback, FeedbackRequest
from tests.conftest import client_as
from tests.placements.conftest import EN, events, text
from tests.placements.test_feedback_link import ANSWERS, assert_refused_alike, open_link, send_link

HOST_ANSWERS = {key: value for key, value in ANSWERS.items() if key != "given_by"}


def url(placement) -> str:
    return f"/placements/{placement.public_id}/feedback/host/"


def test_the_logged_in_host_gives_feedback_from_their_list(placement, worker, host):
    host.user.first_name, host.user.last_name = "Kaisa", "Kahvinen"
    host.user.save(update_fields=["first_name", "last_name"])
    browser = client_as(host)
    listed = text(browser.get("/placements/hosted/", **EN))
    assert url(placement) in listed
    assert "Give feedback" in listed

    form = browser.get(url(placement), **EN)
    assert form.status_code == 200
    page = text(form)
    assert "Aino Asiakas" in page and placement.tasks in page
    assert "Your name" not in page  # they answer in their own name
    assert "Mid-term feedback" in page and "Final feedback" in page

    done = browser.post(url(placement), {**HOST_ANSWERS, "stage": "mid_term"}, **EN)

    assert done.status_code == 302
    assert done["Location"] == "/placements/hosted/"
    feedback = Feedback.objects.get()
    assert (feedback.stage, feedback.given_by, feedback.given_by_member) == (
        "mid_term",
        "Kaisa Kahvinen",
        host,
    )
    assert feedback.request is None
    event = AuditEvent.objects.get(action="placement.feedback_submit")
    assert event.membership == host
    assert event.client_id == placement.client.public_id
    entry = TimelineEntry.objects.get(kind="placement.feedback_received")
    assert entry.actor == host
    assert (entry.organisation_id, entry.register) == (placement.organisation_id, placement.register)
    overview = text(client_as(worker).get(f"/clients/{placement.client.public_id}/", **EN))
    assert "Kaisa Kahvinen (Verstas, Konepaja Testi Oy)" in overview
    # Only the final feedback remains to give.
    again = text(browser.get(url(placement), **EN))
    assert "Final feedback" in again and 'value="mid_term"' not in again


def test_the_form_refuses_bad_input_keeping_what_was_typed(placement, host):
    response = client_as(host).post(
        url(placement), {**HOST_ANSWERS, "rating_pace": "", "stage": "final"}, **EN
    )

    assert response.status_code == 400
    assert "Choose a rating, or “Could not observe”." in text(response)
    assert "Täsmällinen ja ystävällinen." in text(response)
    assert not Feedback.objects.exists()


def test_a_stage_is_answered_once_whichever_way(placement, worker, host):
    token = send_link(placement, worker)
    browser = Client()
    open_link(browser, token)
    browser.post("/feedback/form/", ANSWERS, **EN)

    response = client_as(host).post(url(placement), {**HOST_ANSWERS, "stage": "mid_term"}, **EN)

    assert response.status_code == 400
    assert Feedback.objects.count() == 1


def test_after_both_stages_the_host_is_told_so(placement, host):
    browser = client_as(host)
    for stage in ("mid_term", "final"):
        assert browser.post(url(placement), {**HOST_ANSWERS, "stage": stage}, **EN).status_code == 302

    response = browser.get(url(placement), **EN)

    assert response.status_code == 302
    assert "Final feedback given" in text(browser.get("/placements/hosted/", **EN))


def test_the_hosts_answer_uses_up_the_link_which_then_says_it_was_received(placement, worker, host):
    token = send_link(placement, worker)

    client_as(host).post(url(placement), {**HOST_ANSWERS, "stage": "mid_term"}, **EN)

    link = FeedbackRequest.objects.get()
    assert link.used_at is not None and Feedback.objects.get().request == link
    response = open_link(Client(), token)
    assert response.status_code == 200
    assert "The feedback has been received" in text(response)
    assert "Aino" not in text(response) and "Asiakas" not in text(response)


def test_another_units_host_the_case_team_and_outsiders_cannot_give_it(
    placement, worker, other_host, outsider, manager
):
    for who in (other_host, worker, outsider, manager):
        before = len(events("permission.refused"))
        assert client_as(who).get(url(placement), **EN).status_code == 404, who
        assert client_as(who).post(url(placement), {**HOST_ANSWERS, "stage": "mid_term"}).status_code == 404
        assert len(events("permission.refused")) == before + 2
    assert not Feedback.objects.exists()
    assert Client().get(url(placement)).status_code == 302  # to the login


def test_a_used_link_says_when_the_feedback_was_received_and_nothing_else(placement, worker):
    token = send_link(placement, worker)
    browser = Client()
    open_link(browser, token)
    browser.post("/feedback/form/", ANSWERS, **EN)
    received = timezone.localtime(FeedbackRequest.objects.get().used_at)

    response = open_link(Client(), token)

    page = text(response)
    assert response.status_code == 200
    assert "The feedback has been received" in page
    assert f"{received:%H:%M}" in page
    assert "The feedback link does not work" not in page
    for secret in ("Aino", "Asiakas", "Pekka", "Täsmällinen", placement.tasks, "Mid-term"):
        assert secret not in page
    assert events("placement.feedback_link.used")


def test_going_back_after_answering_says_received_and_a_second_send_is_not_taken(placement, worker):
    token = send_link(placement, worker)
    browser = Client()
    open_link(browser, token)
    browser.post("/feedback/form/", ANSWERS, **EN)

    back = browser.get("/feedback/form/", **EN)
    assert back.status_code == 200
    assert "The feedback has been received" in text(back)
    again = browser.post("/feedback/form/", ANSWERS, **EN)
    assert again.status_code == 409
    assert "The feedback has been received" in text(again)
    assert Feedback.objects.count() == 1


def test_links_that_never_worked_are_still_refused_alike(placement, worker):
    token = send_link(placement, worker)
    FeedbackRequest.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused_alike(open_link(Client(), token))
    assert_refused_alike(open_link(Client(), "x" * 43))
    assert_refused_alike(Client().get("/feedback/form/", **EN))
