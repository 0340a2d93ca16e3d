"""The client's own Polku in a real browser at 375 px: log in through the test identity provider (the
same oidc-provider-mock that `make run` starts, on loopback), rate a goal and mark my action done,
answer a questionnaire (saved as I go; item 9 shows crisis guidance), send a message (the worker sees
them on the client overview), revoke a consent, read who has viewed my
data, download my data and log out through the provider. Every Polku page is checked with axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import copy
import html
import re
from datetime import timedelta

import oidc_provider_mock
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from polku.clients import services
from polku.clients.models import Consent
from polku.instruments.models import SafetyAlert
from polku.portal import services as portal_services
from tests.conftest import client_as
from tests.e2e.conftest import assert_accessible, screenshot
from tests.factories import make_case, synthetic_identity_code
from tests.portal.test_plan import agreed_plan_with_my_action

pytestmark = pytest.mark.e2e


@pytest.fixture
def identity_provider(settings):
    code = synthetic_identity_code(21)
    person = oidc_provider_mock.User(sub="Aino (demo)", claims={"personal_identity_code": code})
    with oidc_provider_mock.run_server_in_thread(require_nonce=True, user_claims=[person]) as server:
        settings.POLKU_PORTAL_OIDC_ISSUER = f"http://localhost:{server.server_port}"
        settings.POLKU_PORTAL_OIDC_METADATA_URL = ""
        settings.POLKU_PORTAL_OIDC_CLIENT_ID = "polku-e2e"
        settings.POLKU_PORTAL_OIDC_CLIENT_SECRET = "polku-e2e-secret"
        settings.POLKU_PORTAL_OIDC_CLIENT_AUTH = "client_secret_basic"
        settings.POLKU_PORTAL_OIDC_SIGNED_REQUEST = settings.POLKU_PORTAL_OIDC_ENCRYPTED_ID_TOKEN = False
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = ["'self'", settings.POLKU_PORTAL_OIDC_ISSUER]
        settings.CONTENT_SECURITY_POLICY = policy
        yield code


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_log_in_revoke_a_consent_and_read_who_has_viewed_my_data(
    page, identity_provider, worker, outsider, oulu, espoo, browser_log, live_server
):
    case = make_case(by=worker, identity_code=identity_provider, first_names="Aino")
    services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        purpose="Yhteinen työkykyarvio",
        valid_from=timezone.localdate() - timedelta(days=3),
        method="written",
        covers_social=True,
    )
    plan = agreed_plan_with_my_action(case)
    portal_services.request_questionnaire(case=case, by=worker, code="phq9")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/portal/")
    assert_accessible(page, "portal start")
    fits(page)
    page.get_by_test_id("portal-login").click()
    # The provider's own form: the person is chosen (strong identification in production).
    page.get_by_role("button", name="Aino (demo)").click()
    expect(page).to_have_url(re.compile(r"/portal/home/$"))
    expect(page.get_by_test_id("personal-worker")).to_contain_text(worker.user.email)
    assert_accessible(page, "portal home")
    fits(page)
    screenshot(page, "portal-home-375")

    # A questionnaire my worker asked for: part of it saved, then finished; item 9 above 0 shows the
    # crisis guidance at once and raises the team's safety alert.
    page.get_by_test_id("questionnaire-waiting").click()
    assert_accessible(page, "portal questionnaire")
    fits(page)
    questions = page.locator("fieldset.polku-question")
    for n in range(3):
        questions.nth(n).locator("label.hds-radio-button__label").first.click()
    page.get_by_role("button", name="Tallenna ja jatka myöhemmin").click()
    expect(questions.nth(2).locator("input").first).to_be_checked()
    for n in range(3, 9):
        questions.nth(n).locator("label.hds-radio-button__label").nth(1 if n == 8 else 0).click()
    for n in range(9, questions.count()):
        questions.nth(n).locator("label.hds-radio-button__label").first.click()
    page.get_by_role("button", name="Lähetä vastaukset").click()
    expect(page.get_by_test_id("crisis-guidance")).to_contain_text("112")
    expect(page.get_by_test_id("questionnaire-done")).to_be_visible()
    assert_accessible(page, "portal questionnaire sent")
    fits(page)
    assert SafetyAlert.objects.filter(client=case.client, acknowledged_at__isnull=True).count() == 1
    page.get_by_role("link", name="Takaisin omaan Polkuuni").click()
    expect(page.get_by_test_id("questionnaire-waiting")).to_have_count(0)

    page.get_by_role("link", name="Suunnitelmani").click()
    expect(page.get_by_test_id("portal-plan")).to_contain_text("Haluan päästä työkokeiluun keittiöön")
    assert_accessible(page, "portal plan")
    fits(page)
    goal = plan.versions.get().goals.get()
    page.locator(f"#goal-{goal.public_id}").locator("label", has_text="+1").click()
    page.locator(f"#goal-{goal.public_id}").get_by_role("button", name="Tallenna arvioni").click()
    expect(page.get_by_test_id("my-rating")).to_contain_text("+1")
    page.locator("label", has_text="Tehty").click()
    page.get_by_label("Kommentti (vapaaehtoinen)").last.fill("Kävin maanantaina")
    page.get_by_role("button", name="Tallenna", exact=True).click()
    expect(page.get_by_test_id("my-mark")).to_contain_text("Kävin maanantaina")

    page.get_by_role("link", name="Viestit").click()
    expect(page.get_by_test_id("send-message")).to_be_visible()  # the messages page, not the plan
    assert_accessible(page, "portal messages")
    fits(page)
    page.get_by_label("Uusi viesti").fill("Voinko siirtää tapaamisen torstaille?")
    page.get_by_test_id("send-message").click()
    expect(page.get_by_test_id("portal-messages")).to_contain_text("Voinko siirtää tapaamisen torstaille?")
    # The worker sees the message and the client's own rating and mark on the client overview.
    overview = html.unescape(client_as(worker).get(f"/clients/{case.client.public_id}/").content.decode())
    assert "Voinko siirtää tapaamisen torstaille?" in overview
    assert "Kävin maanantaina" in overview and "+1" in overview

    page.get_by_role("link", name="Suostumukseni").click()
    expect(page.get_by_test_id("portal-consent")).to_contain_text("Yhteinen työkykyarvio")
    assert_accessible(page, "portal consents")
    fits(page)
    page.get_by_role("link", name=re.compile("^Peru")).click()
    # `click` returns once the link is followed, not once the next page is there: axe run at once read
    # the consents page as it was torn down, or the revoke page half parsed (the skip link before the
    # <main> it points to). Wait for the revoke page's own address and button.
    expect(page).to_have_url(re.compile(r"/portal/consents/[0-9a-f-]+/revoke/$"))
    expect(page.get_by_test_id("confirm-revoke")).to_be_visible()
    assert_accessible(page, "portal revoke consent")
    fits(page)
    page.get_by_test_id("confirm-revoke").click()
    expect(page.get_by_test_id("portal-consent")).to_contain_text("Peruttu")
    assert Consent.objects.get(client=case.client).revoked_on == timezone.localdate()

    page.get_by_role("link", name="Kuka on katsonut tietojani").click()
    expect(page.get_by_test_id("access-log")).to_contain_text("Aino")
    assert_accessible(page, "portal access log")
    fits(page)
    screenshot(page, "portal-access-log-375")

    # My data: the export as the client's own download, the address naming no identity code.
    page.get_by_role("link", name="Omat tietoni").click()
    expect(page.get_by_test_id("my-data-page")).to_be_visible()
    assert_accessible(page, "portal my data")
    fits(page)
    page.get_by_test_id("my-data-page").click()
    expect(page.get_by_test_id("my-data")).to_contain_text("Aino")
    assert identity_provider not in page.url
    expect(page.locator("main")).to_contain_text(identity_provider)  # the data itself holds it
    assert_accessible(page, "portal my data page")
    fits(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Lataa tietoni tiedostona (JSON)").first.click()
    assert download.value.suggested_filename == "polku-my-data.json"
    screenshot(page, "portal-my-data-375")

    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.get_by_role("button", name="End session").click()  # the provider ends its session too
    expect(page.get_by_test_id("logged-out")).to_be_visible()
    assert_accessible(page, "portal logged out")
    page.goto("/portal/home/")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    # Polku's pages broke no CSP rule and logged no error (the mock provider's pages load a stylesheet
    # from a CDN this machine cannot reach; they are not Polku's).
    own = [problem for problem in browser_log.problems() if live_server.url in problem.split(": [")[0]]
    assert not own, own
