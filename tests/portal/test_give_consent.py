"""A consent I give in my own Polku: recorded as given by me (no staff member), valid from today, and
the other organisation reads the records on its next request."""

from __future__ import annotations

import pytest

from polku.audit.models import AuditEvent
from polku.clients.models import Consent, ConsentMethod
from tests.clients.test_consent import days_ago, reads_note
from tests.portal.test_pages import page, portal_as

pytestmark = pytest.mark.django_db


def form(discloser, recipient, **values):
    return {
        "discloser": str(discloser.public_id),
        "recipient": str(recipient.public_id),
        "registers": ["social"],
        "purpose": "Yhteinen työkykyarvio",
    } | values


def test_my_new_consent_lets_the_other_organisation_read_at_once(case, note, espoo_member, oulu, espoo):
    assert not reads_note(espoo_member, case)
    browser = portal_as(case.client)
    new = page(browser.get("/portal/consents/new/"))
    assert oulu.name in new and espoo.name in new
    response = browser.post("/portal/consents/new/", form(oulu, espoo))
    assert response.status_code == 302
    given = Consent.objects.get()
    assert (given.recorded_by, given.method, given.valid_from) == (None, ConsentMethod.OWN_POLKU, days_ago(0))
    assert given.recorded_by_client and given.covers_social and not given.covers_health
    assert reads_note(espoo_member, case)  # the Espoo worker's next request
    event = AuditEvent.objects.get(action="portal.consent.give")
    assert event.client_id == case.client.public_id and event.membership_id is None
    assert "Yhteinen työkykyarvio" in page(browser.get("/portal/consents/"))


def test_bad_input_is_refused_and_kept(case, espoo_member, oulu, espoo):
    browser = portal_as(case.client)
    response = browser.post("/portal/consents/new/", form(oulu, oulu, registers=[], purpose="Oma syy"))
    assert response.status_code == 400
    assert "Oma syy" in page(response)
    assert not Consent.objects.exists()


def test_an_organisation_not_working_with_me_cannot_be_chosen(case, oulu, espoo):
    # Espoo is on no team of mine: it is not offered and a forged choice is refused.
    browser = portal_as(case.client)
    assert espoo.name not in page(browser.get("/portal/consents/new/"))
    assert browser.post("/portal/consents/new/", form(oulu, espoo)).status_code == 400
    assert not Consent.objects.exists()
