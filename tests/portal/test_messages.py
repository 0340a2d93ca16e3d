"""Messages with my personal worker and team: the worker sees them on the client overview (a panel)
and answers there; each side gets an email notice without the content."""

from __future__ import annotations

import html

import pytest
from django.core import mail

from polku.audit.models import AuditEvent
from polku.portal.models import Message
from tests.conftest import client_as
from tests.portal.test_pages import portal_as

pytestmark = pytest.mark.django_db

TEXT = "Voinko siirtää ensi viikon tapaamisen torstaille?"


def test_i_send_a_message_and_my_worker_sees_it_and_answers(case, worker, django_capture_on_commit_callbacks):
    browser = portal_as(case.client)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/portal/messages/", {"text": TEXT})
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.case, message.author, message.text) == (case, None, TEXT)
    assert [m.to for m in mail.outbox] == [[worker.user.email]]
    assert TEXT not in mail.outbox[0].body and TEXT not in mail.outbox[0].subject
    assert (
        AuditEvent.objects.filter(action="portal.message.send", client_id=case.client.public_id).count() == 1
    )

    staff = client_as(worker)
    overview = html.unescape(staff.get(f"/clients/{case.client.public_id}/").content.decode())
    assert TEXT in overview
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff.post(
            f"/clients/cases/{case.public_id}/messages/", {"text": "Käy hyvin, torstaina klo 10."}
        )
    assert answer.status_code == 302
    assert "Käy hyvin, torstaina klo 10." in html.unescape(browser.get("/portal/messages/").content.decode())
    overview = html.unescape(staff.get(f"/clients/{case.client.public_id}/").content.decode())
    messages = overview.split('data-testid="portal-panel-messages">', 1)[1].split("</ul>", 1)[0]
    # Newest first: the worker's answer by their name, then the client's message.
    assert messages.index(f"{worker.user.get_full_name()}: Käy hyvin") < messages.index(TEXT)
    assert 'data-testid="messages-waiting"' in browser.get("/portal/home/").content.decode()
    assert len([m for m in mail.outbox if m.to == [case.client.email]]) == (1 if case.client.email else 0)


def test_an_empty_message_is_refused_and_nothing_is_stored(case):
    response = portal_as(case.client).post("/portal/messages/", {"text": "   "})
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_another_organisation_sees_no_messages_and_cannot_answer(case, outsider):
    portal_as(case.client).post("/portal/messages/", {"text": TEXT})
    staff = client_as(outsider)
    assert staff.get(f"/clients/{case.client.public_id}/").status_code == 404
    assert staff.post(f"/clients/cases/{case.public_id}/messages/", {"text": "x"}).status_code == 404
    assert Message.objects.count() == 1


def test_a_team_member_of_another_organisation_does_not_see_this_teams_messages(case, worker, outsider):
    from tests.factories import make_case_after_break_glass

    portal_as(case.client).post("/portal/messages/", {"text": TEXT})
    # The same person is also a client of Espoo: the Espoo worker sees the client, not Oulu's messages.
    make_case_after_break_glass(by=outsider, client=case.client)
    page = html.unescape(client_as(outsider).get(f"/clients/{case.client.public_id}/").content.decode())
    assert TEXT not in page


def test_the_email_notices_say_only_that_there_is_a_message(case, worker, django_capture_on_commit_callbacks):
    """Both ways: the worker's notice and the client's notice hold none of the message's text, nor the
    client's name or identity code."""
    from polku.clients import identity

    case.client.email = "aino.asiakas@example.invalid"
    case.client.save(update_fields=["email"])
    secret = "Minulla on ollut vaikea viikko, en jaksanut mennä kokeiluun."
    answer = "Soitan sinulle huomenna kymmeneltä, jutellaan siitä."
    with django_capture_on_commit_callbacks(execute=True):
        portal_as(case.client).post("/portal/messages/", {"text": secret})
    with django_capture_on_commit_callbacks(execute=True):
        client_as(worker).post(f"/clients/cases/{case.public_id}/messages/", {"text": answer})
    assert [m.to for m in mail.outbox] == [[worker.user.email], [case.client.email]]
    code = identity.decrypt(case.client.identity_code_encrypted)
    for notice in mail.outbox:
        text = notice.subject + notice.body
        for withheld in (secret, answer, case.client.last_name, case.client.first_names, code):
            assert withheld not in text
        assert notice.subject and notice.body


def test_no_notice_and_no_error_when_the_worker_has_no_email(
    case, worker, django_capture_on_commit_callbacks
):
    worker.user.email = ""
    worker.user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_as(case.client).post("/portal/messages/", {"text": TEXT})
    assert response.status_code == 302 and Message.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "written"), [("fi", "5.12.2026 9.05"), ("sv", "5.12.2026 09.05"), ("en", "5.12.2026 09:05")]
)
def test_a_messages_time_is_written_in_the_readers_language(case, worker, language, written):
    from datetime import UTC, datetime

    from django.conf import settings

    at = datetime(2026, 12, 5, 7, 5, tzinfo=UTC)  # 9.05 in Helsinki
    Message.objects.create(client=case.client, case=case, author=None, text=TEXT, at=at)
    staff = client_as(worker)
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    overview = html.unescape(staff.get(f"/clients/{case.client.public_id}/").content.decode())
    assert f">{written}</time> – " in overview
    browser = portal_as(case.client)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    mine = html.unescape(browser.get("/portal/messages/").content.decode())
    assert f">{written}</time> – " in mine
