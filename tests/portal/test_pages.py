"""The client's pages: home, consents (revocation effective on the other organisation's next request),
who has viewed my data (exactly the client's audit events), and refusals of another client's ids."""

from __future__ import annotations

import html
import time
import uuid

import pytest
from django.test import Client as DjangoClient

from polku.audit.models import AuditEvent, ListedClient
from polku.clients.models import Consent
from polku.portal.session import CLIENT_KEY, SEEN_KEY
from tests.clients.test_consent import consent, days_ago, reads_note
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def portal_as(client) -> DjangoClient:
    """A browser with the client's portal session (the login itself: test_identification.py)."""
    browser = DjangoClient()
    session = browser.session
    session[CLIENT_KEY] = str(client.public_id)
    session[SEEN_KEY] = int(time.time())
    session.save()
    return browser


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_home_names_my_personal_worker_and_is_audited_with_me_as_actor(case, worker):
    response = portal_as(case.client).get("/portal/home/")
    assert response.status_code == 200
    assert worker.user.email in page(response)
    event = AuditEvent.objects.get(action="portal.home.view")
    assert event.client_id == case.client.public_id and event.membership_id is None
    assert event.details["actor"]["name"] == case.client.full_name


def test_portal_pages_need_a_client_session(case, worker):
    from tests.conftest import client_as

    for url in ("/portal/home/", "/portal/consents/", "/portal/access-log/"):
        assert DjangoClient().get(url)["Location"] == "/portal/"
        # A staff session is no client session either.
        assert client_as(worker).get(url)["Location"] == "/portal/"


def test_revoking_my_consent_hides_the_record_from_the_other_organisation_at_once(
    case, note, worker, espoo_member, oulu, espoo
):
    given = consent(case, worker, oulu, espoo, valid_from=days_ago(10))
    assert reads_note(espoo_member, case)
    browser = portal_as(case.client)
    listing = page(browser.get("/portal/consents/"))
    assert "Yhteinen työkykyarvio" in listing and espoo.name in listing
    confirm = browser.get(f"/portal/consents/{given.public_id}/revoke/")
    assert confirm.status_code == 200
    assert Consent.objects.get(pk=given.pk).revoked_on is None  # nothing happens before the confirmation
    response = browser.post(f"/portal/consents/{given.public_id}/revoke/")
    assert response.status_code == 302
    assert not reads_note(espoo_member, case)  # the Espoo worker's next request
    given.refresh_from_db()
    assert given.revoked_on == days_ago(0) and given.revoked_by is None
    event = AuditEvent.objects.get(action="portal.consent.revoke")
    assert event.client_id == case.client.public_id and event.object_id == str(given.public_id)
    # Sent again: refused with a message, nothing changes.
    again = browser.post(f"/portal/consents/{given.public_id}/revoke/")
    assert again.status_code == 400


def test_another_clients_consent_is_a_404_and_an_audited_refusal(case, worker, oulu, espoo, outsider):
    given = consent(case, worker, oulu, espoo)
    other = make_case(by=worker).client
    browser = portal_as(other)
    for method in (browser.get, browser.post):
        assert method(f"/portal/consents/{given.public_id}/revoke/").status_code == 404
    assert Consent.objects.get(pk=given.pk).revoked_on is None
    refusals = AuditEvent.objects.filter(action="portal.refused")
    assert refusals.count() == 2
    assert {event.client_id for event in refusals} == {case.client.public_id}  # in the owner's report
    assert {event.details["actor"]["name"] for event in refusals} == {other.full_name}
    # An id that does not exist: the same 404, audited too.
    assert browser.get(f"/portal/consents/{uuid.uuid4()}/revoke/").status_code == 404
    assert AuditEvent.objects.filter(action="portal.refused").count() == 3


def test_the_access_log_lists_exactly_my_audit_events(case, worker, outsider):
    other = make_case(by=worker).client
    from tests.conftest import client_as

    client_as(worker).get(f"/clients/{case.client.public_id}/")
    client_as(worker).get(f"/clients/{other.public_id}/")
    client_as(worker).get("/caseload/")  # a list page showing both
    browser = portal_as(case.client)
    browser.get("/portal/home/")
    response = browser.get("/portal/access-log/")
    assert response.status_code == 200
    shown = {int(value) for value in _attr_values(page(response), "data-event")}
    about = set(AuditEvent.objects.filter(client_id=case.client.public_id).values_list("pk", flat=True))
    listed = set(
        ListedClient.objects.filter(client_id=case.client.public_id).values_list("event_id", flat=True)
    )
    # The page's own event is written after the list was read.
    view_event = AuditEvent.objects.filter(action="portal.access_log.view").latest("pk").pk
    assert shown == (about | listed) - {view_event}
    assert shown and not shown & set(
        AuditEvent.objects.filter(client_id=other.public_id).values_list("pk", flat=True)
    )
    assert worker.user.get_full_name() in page(response)


def _attr_values(text: str, name: str) -> list[str]:
    import re

    return re.findall(rf'{name}="(\d+)"', text)


def test_pages_fit_and_are_translated(case, worker):
    browser = portal_as(case.client)
    for language in ("fi", "sv", "en"):
        response = browser.get("/portal/home/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_revoking_twice_from_two_tabs_keeps_the_first(case, worker, oulu, espoo):
    given = consent(case, worker, oulu, espoo)
    browser = portal_as(case.client)
    browser.post(f"/portal/consents/{given.public_id}/revoke/")
    first = Consent.objects.get(pk=given.pk).revoked_at
    assert browser.post(f"/portal/consents/{given.public_id}/revoke/").status_code == 400
    assert Consent.objects.get(pk=given.pk).revoked_at == first


def test_the_access_log_pages_by_keyset_without_gaps_or_repeats(case, worker, settings):
    from polku.audit import services as audit
    from polku.portal import selectors

    for number in range(120):
        audit.record(worker, "client.view", case.client, client=case.client, details={"n": number})
    seen, cursor = [], ""
    while True:
        rows, cursor = selectors.access_log_page(case.client, cursor)
        seen += [row.pk for row in rows]
        if not cursor:
            break
    expected = list(selectors.access_log(case.client).values_list("pk", flat=True))
    assert seen == expected and len(seen) == len(set(seen)) >= 120
    browser = portal_as(case.client)
    first = page(browser.get("/portal/access-log/"))
    assert "?after=" in first and 'data-testid="chain-ok"' in first


def test_a_changed_audit_row_shows_as_broken(case, worker):
    from django.db import connection

    from polku.audit import services as audit

    event = audit.record(worker, "client.view", case.client, client=case.client)
    audit.seal_pending(wait=True)
    with connection.cursor() as cursor:  # behind the application's back
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["muutettu", event.pk])
    response = portal_as(case.client).get("/portal/access-log/")
    assert 'data-testid="chain-broken"' in page(response)


def test_the_access_log_downloads_as_pdf(case, worker):
    import io

    from pypdf import PdfReader

    from tests.conftest import client_as

    client_as(worker).get(f"/clients/{case.client.public_id}/")
    response = portal_as(case.client).get("/portal/access-log/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())  # a table cell wraps the name on two lines
    assert worker.user.get_full_name() in text and case.client.full_name in text
    assert AuditEvent.objects.filter(action="portal.access_log.pdf", client_id=case.client.public_id).exists()


def test_the_accessibility_statement_takes_feedback_from_anyone(case):
    from polku.portal.models import AccessibilityFeedback

    anonymous = DjangoClient()
    assert anonymous.get("/portal/accessibility/").status_code == 200
    assert anonymous.post("/portal/accessibility/", {"text": " "}).status_code == 400
    assert not AccessibilityFeedback.objects.exists()
    response = anonymous.post("/portal/accessibility/", {"text": "Kontrasti on heikko", "page": "Etusivu"})
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().text == "Kontrasti on heikko"
    # A client session reaches it too (it is under /portal/).
    assert portal_as(case.client).get("/portal/accessibility/").status_code == 200


@pytest.mark.parametrize("url", ["/portal/access-log/", "/portal/consents/", "/portal/messages/"])
def test_list_pages_run_the_same_queries_with_few_and_many_rows(case, worker, oulu, espoo, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from polku.audit import services as audit
    from polku.portal.models import Message

    browser = portal_as(case.client)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        return len(queries)

    count()  # the first request refreshes the session (its idle clock and expiry)
    few = count()
    for number in range(30):
        audit.record(worker, "client.view", case.client, client=case.client)
        Message.objects.create(
            client=case.client, case=case, author=worker if number % 2 else None, text=f"{number}"
        )
        consent(case, worker, oulu, espoo, purpose=f"Tarkoitus {number}")
    assert count() == few


def test_opening_the_revocation_page_is_audited_with_me_as_actor(case, worker, oulu, espoo):
    given = consent(case, worker, oulu, espoo)
    assert portal_as(case.client).get(f"/portal/consents/{given.public_id}/revoke/").status_code == 200
    event = AuditEvent.objects.get(action="portal.consents.view", details__page="revoke")
    assert event.client_id == case.client.public_id and event.object_id == str(given.public_id)
    assert event.membership_id is None and event.details["actor"]["name"] == case.client.full_name
