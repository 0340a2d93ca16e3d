"""Referrals in a real browser: the Oulu personal worker finds a service for the client's need in the
catalogue, refers the client (sharing what the client agreed to, under their consent) and sends the
referral; the receiving health services unit sees it among its incoming referrals with only the client's
name and what was shared, accepts it and marks it started; the worker sees the course on the client's
overview.

Every page visited is screenshotted to /tmp/polku-shots/ (referrals-*.png) and checked with axe-core
against WCAG 2.1 A and AA. Read in English, like the other journeys.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polku.accounts.models import OrganisationKind, Role
from polku.clients import services as client_services
from polku.clients.models import Municipality
from polku.network.models import Referral
from tests.e2e.test_clients_journey import (
    another_browser,
    expect_message,
    log_in_quickly,
    make_staff,
)
from tests.factories import make_case, make_organisation, make_service
from tests.network.conftest import load_taxonomy

pytestmark = pytest.mark.e2e

REASON = "Low mood for months; the client wants an assessment before the work trial."
SHARED = "PHQ-9 score 14 (moderate) on 2 November; no medication."


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def cast(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    load_taxonomy()
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    county = make_organisation(
        name="Pohjois-Pohjanmaan hyvinvointialue (testi)",
        kind=OrganisationKind.WELLBEING_COUNTY,
        municipality_code="",
    )
    worker = make_staff(oulu, "PALO-tiimi", Role.PERSONAL_WORKER, "Sanna", "Koskinen")
    nurse = make_staff(county, "Mielenterveyspalvelut", Role.NURSE, "Mikko", "Heikkinen")
    service = make_service(
        name="Mielenterveyden avopalvelut",
        category="mental-health",
        need_kinds=["mental_health"],
        unit=nurse.membership.unit,
        name_en="Outpatient mental health services",
    )
    make_service(name="Velkaneuvonta", category="debt-counselling", need_kinds=["social_and_financial"])
    case = make_case(by=worker.membership, first_names="Matti", last_name="Esimerkki")
    consent = client_services.record_consent(
        client=case.client,
        by=worker.membership,
        discloser=oulu,
        recipient=county,
        covers_health=True,  # a referral to mental health services is a health care record
        purpose="Referral to mental health services",
        valid_from=case.opened_on,
        method="written",
    )
    return worker, nurse, service, case, consent


def test_worker_refers_a_client_by_need_and_the_receiving_unit_accepts_and_starts(
    page, browser, live_server, cast, audit, browser_log
):
    worker, nurse, _service, case, consent = cast
    detail = reverse("clients:detail", args=[case.client.public_id])

    # The overview: no referrals yet, and the way to the catalogue.
    log_in_quickly(page, live_server, worker.user)
    page.goto(detail)
    panel = page.locator("section", has=page.locator("#referrals"))
    expect(panel).to_contain_text("No referrals.")
    audit.check(page, "referrals-01-overview-empty")

    # The catalogue, for this client: filtered by the need.
    panel.get_by_role("link", name="Find a service and refer").click()
    expect(page.locator("h1")).to_have_text("Service catalogue")
    expect(page.get_by_test_id("referring-for")).to_contain_text("Matti Esimerkki")
    expect(page.get_by_test_id("services").locator("li")).to_have_count(2)
    audit.check(page, "referrals-02-catalogue")
    page.select_option("#need", "mental_health")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("services").locator("li")).to_have_count(1)
    audit.check(page, "referrals-03-catalogue-by-need")

    page.get_by_role("link", name="Outpatient mental health services").click()
    expect(page.locator("h1")).to_have_text("Outpatient mental health services")
    expect(page.locator("main")).to_contain_text("Answered in Polku by Mielenterveyspalvelut.")
    audit.check(page, "referrals-04-service")

    # The referral form: a missing reason is refused and nothing is stored; then the draft.
    page.get_by_role("link", name="Refer Matti Esimerkki to this service").click()
    expect(page.locator("h1")).to_have_text("New referral")
    audit.check(page, "referrals-05-form")
    expect(page.get_by_test_id("referral-register")).to_contain_text("Health care")
    page.fill("#id_shared_information", SHARED)
    page.get_by_role("button", name="Save as a draft").click()
    summary = page.locator("main [data-polku-focus]")
    expect(summary).to_contain_text("Reason for the referral")
    expect(page.locator("#id_shared_information")).to_have_value(SHARED)
    assert Referral.objects.count() == 0
    audit.check(page, "referrals-06-form-refused")
    page.fill("#id_reason", REASON)
    page.select_option("#id_urgency", "soon")
    page.select_option("#id_consent", str(consent.pk))
    page.get_by_role("button", name="Save as a draft").click()
    expect_message(page, "Referral saved as a draft.")
    expect(page.get_by_test_id("referral-status")).to_contain_text("Draft")
    audit.check(page, "referrals-07-draft")

    page.get_by_test_id("referral-actions").get_by_role("link", name="Send").click()
    expect(page.locator("h1")).to_have_text("Send the referral")
    audit.check(page, "referrals-08-send")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_test_id("referral-status")).to_contain_text("Sent")
    # The provider answers in Polku: the sender may only withdraw the referral until it answers.
    expect(page.get_by_test_id("referral-actions").get_by_role("link")).to_have_count(1)
    expect(page.get_by_test_id("referral-actions").get_by_role("link", name="Withdraw")).to_have_count(1)
    referral = Referral.objects.get()
    assert referral.status == "sent" and referral.sent_at is not None

    # The receiving unit: the incoming list, the referral with only what was shared, accept and start.
    with another_browser(browser, live_server, "en-GB", browser_log) as nurse_page:
        log_in_quickly(nurse_page, live_server, nurse.user)
        nurse_page.goto(reverse("network:incoming"))
        expect(nurse_page.get_by_test_id("incoming")).to_contain_text("Matti Esimerkki")
        audit.check(nurse_page, "referrals-09-incoming")
        nurse_page.get_by_role("link", name="Matti Esimerkki").click()
        expect(nurse_page.get_by_test_id("shared")).to_contain_text(SHARED)
        expect(nurse_page.locator("main")).not_to_contain_text(REASON)
        audit.check(nurse_page, "referrals-10-incoming-referral")
        nurse_page.get_by_test_id("referral-actions").get_by_role("link", name="Accept").click()
        audit.check(nurse_page, "referrals-11-accept")
        nurse_page.get_by_role("button", name="Accept the referral").click()
        expect(nurse_page.get_by_test_id("referral-status")).to_contain_text("Accepted")
        nurse_page.get_by_test_id("referral-actions").get_by_role("link", name="Mark started").click()
        nurse_page.fill("#id_reason", "First appointment held.")
        nurse_page.get_by_role("button", name="Mark the service started").click()
        expect(nurse_page.get_by_test_id("referral-status")).to_contain_text("Started")
        expect(nurse_page.get_by_test_id("referral-history")).to_contain_text("First appointment held.")
        audit.check(nurse_page, "referrals-12-started")

    referral.refresh_from_db()
    assert referral.status == "started" and referral.days_to_start == 0

    # The worker sees the course on the overview and its timeline.
    page.goto(detail)
    expect(page.get_by_test_id("referrals")).to_contain_text("Started")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Referral to Mielenterveyden avopalvelut: Started"
    )
    # The started service moved the case on, and the nurse is named with the county she works for.
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Status changed to “Active services”: a referred service started"
    )
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Mikko Heikkinen (Mielenterveyspalvelut, Pohjois-Pohjanmaan hyvinvointialue (testi))"
    )
    audit.check(page, "referrals-13-overview")
    page.goto(reverse("network:referral", args=[referral.public_id]))
    expect(page.get_by_test_id("referral-history").locator("li")).to_have_count(4)
    audit.check(page, "referrals-14-history")

    audit.assert_accessible()
    browser_log.assert_clean()
