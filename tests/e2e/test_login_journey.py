"""Login journeys in a real browser: two-factor set-up, language switching, logout, keyboard access.

Each page visited is screenshotted to /tmp/polku-shots/ and checked with axe-core against WCAG 2.1 A
and AA; every test ends by asserting that the browser logged no Content Security Policy violation and
no JavaScript error.
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from polku.accounts.models import Role
from tests import totp
from tests.e2e.conftest import assert_accessible, axe_violations, screenshot, totp_code
from tests.factories import PASSWORD, make_membership, make_organisation, make_unit, make_user

pytestmark = pytest.mark.e2e

LANGUAGES = ["sv", "en", "fi"]


def path_is(path: str, query: str = "") -> re.Pattern[str]:
    """A URL pattern matching exactly this path (and query) on the live server."""
    return re.compile(
        r"^https?://[^/]+" + re.escape(path) + (r"\?" + re.escape(query) if query else "") + "$"
    )


def submit_main_form(page) -> None:
    page.locator("main form button[type=submit]").first.click()


def submit_login(page, email: str, password: str = PASSWORD) -> None:
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    submit_main_form(page)


def switch_language(page, code: str) -> None:
    """Press the header's language button and wait for the page to come back in that language."""
    page.locator(f"button[name=language][value={code}]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f"button[name=language][value={code}]")).to_have_attribute("aria-current", "true")


def role_in(language: str, membership) -> str:
    with translation.override(language):
        return str(membership.get_role_display())


def make_staff_with_totp(**extra):
    """A staff user whose authenticator app holds `secret`, the way the test's 'phone' knows it."""
    secret = totp.new_secret()
    user = make_user(with_totp=False, **extra)
    totp.activate(user, secret)
    return user, secret


def test_staff_without_mfa_sets_up_authenticator_and_reaches_workspace(page, audit, browser_log):
    user = make_user(
        email="aino.virtanen@test.polku.example", first_name="Aino", last_name="Virtanen", with_totp=False
    )
    organisation = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    membership = make_membership(user=user, unit=make_unit(organisation=organisation, name="PALO-tiimi"))

    page.goto(reverse("account_login"))
    audit.check(page, "a-01-login")
    submit_login(page, user.email)

    # Staff without an authenticator go straight to setting one up: the password they just typed is
    # not asked again (accounts.adapter).
    expect(page).to_have_url(path_is(reverse("mfa_activate_totp")))
    audit.check(page, "a-03-totp-activate")
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), f"unexpected secret shown: {secret!r}"
    page.fill("input[name=code]", totp_code(secret))
    submit_main_form(page)

    expect(page).to_have_url(path_is(reverse("mfa_view_recovery_codes")))
    recovery_codes = page.locator("#recovery_codes").input_value().split()
    assert len(recovery_codes) == 10 and all(re.fullmatch(r"[0-9a-f]{8}", code) for code in recovery_codes)
    audit.check(page, "a-04-recovery-codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    page.goto("/")
    expect(page).to_have_url(path_is("/caseload/"))  # a personal worker starts from the caseload
    page.goto("/workspace/")
    audit.check(page, "a-05-workspace")
    expect(page.locator("h1")).to_contain_text("Aino")
    facts = page.locator(".polku-facts")
    expect(facts).to_contain_text("Aino Virtanen")
    expect(facts).to_contain_text(role_in("fi", membership))
    expect(facts).to_contain_text("PALO-tiimi")
    expect(page.get_by_test_id("active-membership")).to_contain_text(role_in("fi", membership))

    audit.assert_accessible()
    browser_log.assert_clean()


def test_user_with_totp_logs_in_switches_language_and_logs_out(page, audit, browser_log):
    user, secret = make_staff_with_totp(
        email="eero.makinen@test.polku.example", first_name="Eero", last_name="Mäkinen"
    )
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    espoo = make_organisation(name="Espoon kaupunki (testi)", municipality_code="049")
    worker = make_membership(user=user, unit=make_unit(organisation=oulu, name="PALO-tiimi"))
    make_membership(user=user, unit=make_unit(organisation=espoo, name="Työkykytiimi"), role=Role.JOB_COACH)
    login_path = reverse("account_login")

    # The login page, in each language, chosen with the header's buttons.
    page.goto(login_path)
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    for code in LANGUAGES:
        switch_language(page, code)
        expect(page).to_have_url(path_is(login_path))
        audit.check(page, f"b-01-login-{code}")

    # Password, then the authenticator app's code.
    submit_login(page, user.email)
    expect(page).to_have_url(path_is(reverse("mfa_authenticate")))
    audit.check(page, "b-02-mfa-authenticate")
    page.fill("input[name=code]", totp_code(secret))
    submit_main_form(page)

    # Two roles and none chosen yet: Polku asks which one first.
    role_path = reverse("accounts:choose_membership")
    expect(page).to_have_url(path_is(role_path, "next=%2F"))
    audit.check(page, "b-03-choose-role-after-login")
    # HDS draws the radio button on the label, over the visually hidden input: click the label as a
    # person would, then check that the choice took.
    page.locator("label", has_text=re.compile(r"Oulun kaupunki \(testi\) – PALO-tiimi")).click()
    expect(page.get_by_label(re.compile(r"Oulun kaupunki \(testi\) – PALO-tiimi"))).to_be_checked()
    submit_main_form(page)
    expect(page).to_have_url(path_is("/caseload/"))
    page.goto("/workspace/")
    expect(page.locator(".polku-facts")).to_contain_text("Eero Mäkinen")

    # The workspace and the role page, in each language.
    for code in LANGUAGES:
        switch_language(page, code)
        expect(page).to_have_url(path_is("/workspace/"))
        expect(page.locator(".polku-facts")).to_contain_text(role_in(code, worker))
        audit.check(page, f"b-04-workspace-{code}")
        page.get_by_test_id("active-membership").get_by_role("link").click()
        expect(page).to_have_url(path_is(role_path))
        expect(page.locator("html")).to_have_attribute("lang", code)
        expect(page.locator("input[name=membership]")).to_have_count(2)
        audit.check(page, f"b-05-choose-role-{code}")
        page.goto("/workspace/")

    # Log out with the header's button: back on the login page, and / asks for login again.
    page.locator("form.polku-header__logout button[type=submit]").click()
    expect(page).to_have_url(path_is(login_path))
    expect(page.locator("input[name=login]")).to_be_visible()
    expect(page.locator("form.polku-header__logout")).to_have_count(0)
    audit.check(page, "b-06-logged-out", axe=False)
    page.goto("/")
    expect(page).to_have_url(path_is(login_path, "next=/"))
    expect(page.locator("input[name=password]")).to_be_visible()
    audit.check(page, "b-07-home-after-logout", axe=False)

    audit.assert_accessible()
    browser_log.assert_clean()


def test_skip_link_is_the_first_focusable_element(page, live_server, browser_log):
    user, _secret = make_staff_with_totp(first_name="Liisa", last_name="Korhonen")
    make_membership(user=user)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto("/workspace/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    expect(page.locator(".polku-skip-link")).to_be_in_viewport()
    screenshot(page, "c-01-skip-link-focused")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    browser_log.assert_clean()


def test_csp_stays_enforced_and_violations_would_be_caught(page, browser_log):
    """The guard behind "no CSP violations" works: the policy is sent and enforced in the browser (axe
    runs as an init script, not by bypassing it), and a blocked inline script is noticed."""
    response = page.goto(reverse("account_login"))
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert browser_log.problems() == []

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.polkuInlineRan = true";
          document.head.appendChild(script);
        }"""
    )
    assert page.evaluate("window.polkuInlineRan") is None
    for _ in range(40):
        if browser_log.csp_violations:
            break
        page.wait_for_timeout(50)
    assert browser_log.csp_violations, "the blocked inline script was not reported as a CSP violation"


def test_axe_runs_under_the_csp_and_reports_violations(page):
    """axe-core is present despite the policy, and a broken page would fail assert_accessible."""
    page.goto(reverse("account_login"))
    assert page.evaluate("typeof axe.run") == "function"
    assert axe_violations(page) == []
    page.evaluate("""() => document.querySelector("main").append(document.createElement("input"))""")
    violations = axe_violations(page)
    assert [violation["id"] for violation in violations] == ["label"]
    with pytest.raises(pytest.fail.Exception, match=r"label \[critical\]"):
        assert_accessible(page, "login page with an unlabelled input")
