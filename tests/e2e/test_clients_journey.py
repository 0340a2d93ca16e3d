"""Client work in a real browser: the Oulu personal worker registers a client and works on the case,
and a worker of another organisation is refused.

Every page visited is screenshotted to /tmp/polku-shots/ (clients-*.png) and checked with axe-core
against WCAG 2.1 A and AA; the tests end by asserting that the browser logged no Content Security
Policy violation and no JavaScript error.

The pages are read in English (the clients app has no Finnish or Swedish translations yet), so that
the text the tests look for is the text on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as DjangoClient
from django.urls import reverse
from playwright.sync_api import expect

from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.clients.models import Client, Municipality
from tests import totp
from tests.e2e.conftest import AXE_SCRIPT, TIMEOUT_MS, BrowserLog, assert_accessible, screenshot, totp_code
from tests.factories import (
    PASSWORD,
    make_case,
    make_membership,
    make_organisation,
    make_unit,
    make_user,
    synthetic_identity_code,
)

pytestmark = pytest.mark.e2e

# A person who does not exist, with a code using the century sign added in 2023.
IDENTITY_CODE = synthetic_identity_code(123, birth_date=date(1985, 3, 14), sign="Y")
# The same code with another check character: a typing error the form must catch.
MISTYPED_CODE = IDENTITY_CODE[:-1] + ("A" if IDENTITY_CODE[-1] != "A" else "B")
CONTACT_NOTE = "Met at the PALO office. Agreed to map work ability with the occupational health nurse."
CONSENT_PURPOSE = "Planning the rehabilitation together with the county's health services"


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@dataclass
class Staff:
    user: User
    secret: str
    membership: Membership


@dataclass
class Cast:
    oulu: Organisation
    county: Organisation
    espoo: Organisation
    worker: Staff
    nurse: Staff
    espoo_worker: Staff


def make_staff(organisation: Organisation, unit: str, role: str, first_name: str, last_name: str) -> Staff:
    """A staff member whose authenticator app holds `secret`, the way the test's 'phone' knows it."""
    secret = totp.new_secret()
    user = make_user(
        email=f"{first_name}.{last_name}@test.polku.example".lower(),
        first_name=first_name,
        last_name=last_name,
        with_totp=False,
    )
    totp.activate(user, secret)
    membership = make_membership(user=user, unit=make_unit(organisation=organisation, name=unit), role=role)
    return Staff(user=user, secret=secret, membership=membership)


@pytest.fixture
def cast(transactional_db: None) -> Cast:
    # Transactional tests flush the database afterwards, migration data included: put back what the
    # journey needs.
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    Municipality.objects.get_or_create(code="049", defaults={"name_fi": "Espoo", "name_sv": "Esbo"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    county = make_organisation(
        name="Pohjois-Pohjanmaan hyvinvointialue (testi)",
        kind=OrganisationKind.WELLBEING_COUNTY,
        municipality_code="564",
    )
    espoo = make_organisation(name="Espoon kaupunki (testi)", municipality_code="049")
    return Cast(
        oulu=oulu,
        county=county,
        espoo=espoo,
        worker=make_staff(oulu, "PALO-tiimi", Role.PERSONAL_WORKER, "Sanna", "Koskinen"),
        nurse=make_staff(county, "Työterveysasema", Role.NURSE, "Mikko", "Heikkinen"),
        espoo_worker=make_staff(espoo, "Työkykytiimi", Role.PERSONAL_WORKER, "Elina", "Laine"),
    )


# --- Helpers ---------------------------------------------------------------------------------------------


def path_is(path: str, query: str = "") -> re.Pattern[str]:
    """A URL pattern matching exactly this path (and query) on the live server."""
    return re.compile(
        r"^https?://[^/]+" + re.escape(path) + (r"\?" + re.escape(query) if query else "") + "$"
    )


DETAIL_URL = re.compile(r"^https?://[^/]+/clients/([0-9a-f-]{36})/$")


def submit_main_form(page: Any) -> None:
    page.locator("main form button[type=submit]").first.click()


def log_in(page: Any, staff: Staff) -> None:
    """Password, then the authenticator app's code; staff working with clients land on their caseload."""
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", staff.user.email)
    page.fill("input[name=password]", PASSWORD)
    submit_main_form(page)
    expect(page).to_have_url(path_is(reverse("mfa_authenticate")))
    page.fill("input[name=code]", totp_code(staff.secret))
    submit_main_form(page)
    expect(page).to_have_url(path_is(reverse("clients:caseload")))


def log_in_quickly(page: Any, live_server: Any, user: User) -> None:
    """A session made on the server side, for tests whose subject is not the login."""
    client = DjangoClient()
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


@contextmanager
def another_browser(browser: Any, live_server: Any, locale: str, log: BrowserLog) -> Iterator[Any]:
    """A second person's browser: its own context (cookies), set up like conftest's `page`."""
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=str(AXE_SCRIPT))
    context.on("console", log.on_console)
    context.on("weberror", log.on_web_error)
    try:
        yield context.new_page()
    finally:
        context.close()


def click_label(page: Any, for_id: str) -> None:
    """HDS draws checkboxes and radio buttons on the label, over the visually hidden input: click the
    label as a person would."""
    page.locator(f"label[for={for_id}]").click()
    expect(page.locator(f"#{for_id}")).to_be_checked()


def expect_message(page: Any, text: str) -> None:
    expect(page.locator("main .polku-messages[role=status]")).to_contain_text(text)


def fill_new_client(page: Any, identity_code: str) -> None:
    page.fill("#id_identity_code", identity_code)
    page.fill("#id_first_names", "Matti Juhani")
    page.fill("#id_last_name", "Esimerkki")
    page.select_option("#id_municipality", "564")
    page.select_option("#id_source", "self_referral")
    click_label(page, "id_languages_0")  # Finnish
    page.fill("#id_phone", "040 000 0000")


def focused(page: Any, expression: str) -> Any:
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


# --- The journey -----------------------------------------------------------------------------------------


def test_personal_worker_registers_a_client_and_works_on_the_case(
    page, browser, live_server, browser_locale, cast, audit, browser_log
):
    worker, nurse = cast.worker, cast.nurse

    # The caseload, empty, with the way to register a client.
    log_in(page, worker)
    expect(page.locator("h1")).to_have_text("Caseload")
    expect(page.locator("main .polku-empty")).to_contain_text("You have no open cases yet.")
    expect(page.get_by_test_id("caseload")).to_have_count(0)
    audit.check(page, "clients-01-caseload-empty")

    # The new client form; a mistyped identity code is refused with the error summary, which takes focus.
    page.locator("main .polku-heading-row").get_by_role("link", name="New client").click()
    expect(page).to_have_url(path_is(reverse("clients:new")))
    expect(page.locator("h1")).to_have_text("New client")
    expect(page.locator("#id_opened_on")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    audit.check(page, "clients-02-new-client")

    fill_new_client(page, MISTYPED_CODE)
    submit_main_form(page)
    summary = page.locator("main [data-polku-focus]")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Check the form")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_contain_text("The check character does not match")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_identity_code")
    expect(summary).to_be_focused()
    code_input = page.locator("#id_identity_code")
    expect(code_input).to_have_attribute("aria-invalid", "true")
    expect(code_input).to_have_attribute("aria-describedby", re.compile(r"\bid_identity_code-error\b"))
    expect(page.locator("#id_identity_code-error")).to_contain_text("The check character does not match")
    # What was typed is kept: only the code needs correcting.
    expect(page.locator("#id_last_name")).to_have_value("Esimerkki")
    expect(page.locator("#id_municipality")).to_have_value("564")
    assert Client.objects.count() == 0
    audit.check(page, "clients-03-new-client-invalid-code")

    # Corrected: the client is registered and the worker is on their overview.
    code_input.fill(IDENTITY_CODE)
    submit_main_form(page)
    expect(page).to_have_url(DETAIL_URL)
    shown = DETAIL_URL.match(page.url)
    assert shown is not None
    client = Client.objects.get(public_id=shown[1])
    detail_path = reverse("clients:detail", args=[client.public_id])
    expect_message(page, "Client registered and case opened.")
    expect(page.locator("h1")).to_have_text("Matti Juhani Esimerkki")
    masked = IDENTITY_CODE[:7] + "****"
    expect(page.get_by_test_id("identity-code")).to_have_text(masked)
    current = page.get_by_test_id("current-case")
    expect(current).to_contain_text("Oulun kaupunki (testi): PALO-tiimi")
    expect(current).to_contain_text("Sanna Koskinen")
    expect(page.get_by_test_id("team")).to_contain_text("Sanna Koskinen")
    audit.check(page, "clients-04-overview")

    # The full identity code, on request: htmx swaps it in without leaving the page.
    page.get_by_role("button", name="Show the identity code").click()
    expect(page.get_by_test_id("identity-code")).to_have_text(IDENTITY_CODE)
    expect(page).to_have_url(path_is(detail_path))
    expect(page.locator("#identity-code")).to_have_count(1)
    audit.check(page, "clients-05-overview-identity-code-shown")

    # A nurse of the wellbeing services county joins the team.
    page.get_by_role("link", name="Add a team member").click()
    expect(page).to_have_url(path_is(reverse("clients:add_team_member", args=[client.cases.get().public_id])))
    expect(page.locator("h1")).to_have_text("Add a team member")
    audit.check(page, "clients-06-team-form")
    # The responsibility typed first stays when the search swaps in the matching staff (htmx).
    page.fill("#id_responsibility", "Health and work ability")
    page.get_by_label("Find staff by name, email, unit or organisation").fill("heikkinen työterveys")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("staff-search-status")).to_have_text(
        "1 person matches “heikkinen työterveys”."
    )
    expect(page.locator("#id_member option")).to_have_count(2)
    # Posted: what was typed reaches no address.
    expect(page).to_have_url(path_is(reverse("clients:add_team_member", args=[client.cases.get().public_id])))
    assert "heikkinen" not in page.url
    expect(page.locator("#id_responsibility")).to_have_value("Health and work ability")
    audit.check(page, "clients-06b-team-form-searched")
    page.select_option("#id_member", str(nurse.membership.pk))
    expect(page.locator("#id_member option:checked")).to_have_text(
        "Mikko Heikkinen – Nurse, Pohjois-Pohjanmaan hyvinvointialue (testi): Työterveysasema"
    )
    page.get_by_role("button", name="Add to the team").click()
    expect(page).to_have_url(path_is(detail_path))
    expect_message(page, "Team member added.")
    nurse_row = page.get_by_test_id("team").locator("tr", has_text="Mikko Heikkinen")
    expect(nurse_row).to_contain_text("Nurse")
    expect(nurse_row).to_contain_text("Pohjois-Pohjanmaan hyvinvointialue (testi)")
    expect(nurse_row).to_contain_text("Health and work ability")

    # A contact note.
    page.locator("main").get_by_role("link", name="Record a contact").click()
    expect(page.locator("h1")).to_have_text("Record a contact")
    expect(page.locator("input[name=register][value=employment]")).to_be_checked()
    audit.check(page, "clients-07-contact-form")
    click_label(page, "id_kind_0")  # Meeting
    page.fill("#id_duration_minutes", "45")
    page.fill("#id_note", CONTACT_NOTE)
    submit_main_form(page)
    expect(page).to_have_url(path_is(detail_path))
    expect_message(page, "Contact recorded.")
    expect(page.get_by_test_id("timeline")).to_contain_text(CONTACT_NOTE)

    # A consent: the city may disclose social welfare records to the county.
    page.locator("main").get_by_role("link", name="Record a consent").click()
    expect(page).to_have_url(path_is(reverse("clients:record_consent", args=[client.public_id])))
    audit.check(page, "clients-08-consent-form")
    page.select_option("#id_discloser", str(cast.oulu.pk))
    page.select_option("#id_recipient", str(cast.county.pk))
    click_label(page, "id_registers_0")
    page.fill("#id_purpose", CONSENT_PURPOSE)
    click_label(page, "id_method_0")  # Written
    submit_main_form(page)
    expect(page).to_have_url(path_is(detail_path))
    expect_message(page, "Consent recorded.")
    consent_row = page.get_by_test_id("consents").locator("tbody tr")
    expect(consent_row).to_have_count(1)
    expect(consent_row).to_contain_text("Oulun kaupunki (testi)")
    expect(consent_row).to_contain_text("Pohjois-Pohjanmaan hyvinvointialue (testi)")
    expect(consent_row).to_contain_text(CONSENT_PURPOSE)
    audit.check(page, "clients-09-overview-after-work")

    # The caseload now lists the client.
    page.locator("nav.polku-nav").get_by_role("link", name="Caseload").click()
    expect(page).to_have_url(path_is(reverse("clients:caseload")))
    row = page.get_by_test_id("caseload").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link")).to_have_text("Esimerkki, Matti Juhani")
    expect(row).to_contain_text("Oulu")
    audit.check(page, "clients-10-caseload-with-client")

    # The access report lists what was done, by whom.
    row.get_by_role("link").click()
    expect(page).to_have_url(path_is(detail_path))
    page.locator("main .polku-actions").get_by_role("link", name="Access report").click()
    expect(page).to_have_url(path_is(reverse("clients:access_report", args=[client.public_id])))
    report = page.get_by_test_id("access-report")
    for what in [
        "Registered the client",
        "Viewed the client's data",
        "Viewed the full identity code",
        "Added a team member",
        "Recorded a contact",
        "Recorded a consent",
    ]:
        expect(report.locator("tbody tr", has_text=what).first).to_contain_text("Sanna Koskinen")
    expect(report.locator("tbody tr", has_text="Recorded a contact")).to_contain_text(
        "Oulun kaupunki (testi)"
    )
    expect(report.locator("tbody tr", has_text="Recorded a contact")).to_contain_text("Personal worker")
    audit.check(page, "clients-11-access-report")

    actions = set(AuditEvent.objects.filter(client_id=client.public_id).values_list("action", flat=True))
    assert {
        "client.create",
        "client.view",
        "client.identity_code.reveal",
        "team.add",
        "contact.record",
        "consent.record",
        "client.access_report.view",
    } <= actions

    # A personal worker in Espoo, in another organisation, cannot tell that the client exists.
    espoo_log = BrowserLog()
    with another_browser(browser, live_server, browser_locale, espoo_log) as espoo_page:
        log_in(espoo_page, cast.espoo_worker)
        expect(espoo_page.get_by_test_id("caseload")).to_have_count(0)
        response = espoo_page.goto(detail_path)
        assert response is not None and response.status == 404
        expect(espoo_page.locator("h1")).to_have_text("Page not found")
        expect(espoo_page.locator("main")).not_to_contain_text("Esimerkki")
        audit.check(espoo_page, "clients-12-espoo-not-found")
    refusals = AuditEvent.objects.filter(
        action="permission.refused", client_id=client.public_id, membership=cast.espoo_worker.membership
    )
    assert refusals.count() == 1
    assert refusals.get().details == {"action": "client.view"}
    assert refusals.get().organisation == cast.espoo
    # Chromium reports the 404 itself as a console error; nothing else may appear.
    assert espoo_log.csp_violations == [] and espoo_log.js_errors == []
    assert all("status of 404" in line for line in espoo_log.console_errors), espoo_log.console_errors

    # ...and the refusal shows in the client's access report.
    page.reload()
    refused = page.get_by_test_id("access-report").locator("tbody tr", has_text="was refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Elina Laine")
    expect(refused).to_contain_text("Espoon kaupunki (testi)")

    audit.assert_accessible()
    browser_log.assert_clean()


# --- Keyboard ----------------------------------------------------------------------------------------------


def test_new_client_form_works_from_the_keyboard(page, live_server, cast, browser_log):
    log_in_quickly(page, live_server, cast.worker.user)
    page.goto(reverse("clients:new"))
    expect(page.locator("h1")).to_have_text("New client")

    # Tab goes from the top of the page through the fields to the Save button.
    submit = page.locator("main form.polku-form button[type=submit]")
    visited: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        if focused(page, "el.closest('form.polku-form') !== null && el.type === 'submit'"):
            break
        visited.append(focused(page, "el.id || el.name || el.tagName"))
    else:
        pytest.fail(f"Tab never reached the Save button; focus went through: {visited}", pytrace=False)
    expect(submit).to_be_focused()
    assert "id_identity_code" in visited and "id_opened_on" in visited
    assert visited.index("id_identity_code") < visited.index("id_last_name") < visited.index("id_opened_on")
    screenshot(page, "clients-20-keyboard-save-focused")

    # Enter on the button sends the empty form; the refusal's summary takes focus, and its links lead
    # to the fields.
    page.keyboard.press("Enter")
    summary = page.locator("main [data-polku-focus]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert focused(page, "el.hasAttribute('data-polku-focus')")
    screenshot(page, "clients-21-keyboard-error-summary-focused")
    page.keyboard.press("Tab")
    first_error = summary.get_by_role("link").first
    expect(first_error).to_be_focused()
    expect(first_error).to_have_attribute("href", "#id_identity_code")
    page.keyboard.press("Enter")
    expect(page.locator("#id_identity_code")).to_be_focused()

    # Typing a valid code and pressing Enter in the field sends the form again.
    page.keyboard.type(IDENTITY_CODE)
    page.fill("#id_first_names", "Matti Juhani")
    page.fill("#id_last_name", "Esimerkki")
    page.select_option("#id_municipality", "564")
    page.select_option("#id_source", "self_referral")
    page.locator("#id_last_name").press("Enter")
    # The browser keeps the #id_identity_code fragment through the POST and its redirect.
    expect(page).to_have_url(re.compile(DETAIL_URL.pattern.rstrip("$") + r"(#id_identity_code)?$"))
    expect(page.locator("h1")).to_have_text("Matti Juhani Esimerkki")

    browser_log.assert_clean()


# --- Bugs found while writing the journey, kept as regression tests -----------------------------------


def test_case_forms_name_their_submit_button(page, live_server, cast, browser_log):
    case = make_case(by=cast.worker.membership)
    log_in_quickly(page, live_server, cast.worker.user)
    for path in [
        reverse("clients:record_contact", args=[case.public_id]),
        reverse("clients:record_consent", args=[case.client.public_id]),
    ]:
        page.goto(path)
        expect(page.locator("main form.polku-form button[type=submit]")).not_to_have_text(
            "None", timeout=1_000
        )
    browser_log.assert_clean()


def test_contact_form_explains_the_register(page, live_server, cast, browser_log):
    case = make_case(by=cast.worker.membership)
    log_in_quickly(page, live_server, cast.worker.user)
    page.goto(reverse("clients:record_contact", args=[case.public_id]))
    expect(page.get_by_text("The register the note belongs to decides who may read it.")).to_be_visible(
        timeout=1_000
    )
    browser_log.assert_clean()


def test_a_long_contact_note_is_counted_kept_whole_and_refused_with_the_counts(
    page, live_server, cast, browser_log
):
    """Issue 20: a 27,600-character note was cut to 20,000 without a word (the browser's maxlength)."""
    case = make_case(by=cast.worker.membership)
    log_in_quickly(page, live_server, cast.worker.user)
    page.goto(reverse("clients:record_contact", args=[case.public_id]))
    counter = page.locator("#id_note-counter")
    expect(counter).to_have_text("0 / 20,000", timeout=2_000)
    assert page.locator("#id_note").get_attribute("aria-describedby").endswith("id_note-counter")
    assert_accessible(page, "contact form with its counter")

    click_label(page, "id_kind_0")  # Meeting
    page.fill("#id_note", "a" * 27_600)
    expect(counter).to_have_text("27,600 / 20,000")
    expect(counter).to_have_class(re.compile("polku-counter--over"))
    # Near or over the limit, and only then, screen readers hear it.
    expect(page.locator("[aria-live=polite]").filter(has_text="Characters too many: 7,600")).to_have_count(1)
    submit_main_form(page)

    expect(page.get_by_text("The text is too long: 27,600 characters, at most 20,000.").first).to_be_visible()
    assert len(page.locator("#id_note").input_value()) == 27_600
    assert_accessible(page, "contact form refusing a long note")
    screenshot(page, "clients-long-note-refused")
    assert not case.contacts.exists()
    browser_log.assert_clean()


def test_a_staff_search_after_the_session_ended_opens_the_login_page(page, live_server, cast, browser_log):
    case = make_case(by=cast.worker.membership)
    log_in_quickly(page, live_server, cast.worker.user)
    form_path = reverse("clients:add_team_member", args=[case.public_id])
    page.goto(form_path)
    # The session ends on the server (logged out elsewhere, or timed out) while the page stays open.
    kept = [c for c in page.context.cookies() if c["name"] != settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies(kept)

    page.get_by_label("Find staff by name, email, unit or organisation").fill("heikkinen")
    page.get_by_role("button", name="Search").click()

    # The whole page goes to the login, rather than the login form appearing inside this one.
    expect(page).to_have_url(
        re.compile(re.escape(reverse("account_login")) + r"\?next=" + re.escape(form_path) + "$")
    )
    expect(page.locator("#staff-choices")).to_have_count(0)
    browser_log.assert_clean()


def test_a_refused_staff_search_loads_the_page_again(page, live_server, cast):
    case = make_case(by=cast.worker.membership)
    log_in_quickly(page, live_server, cast.worker.user)
    page.goto(reverse("clients:add_team_member", args=[case.public_id]))
    # Meanwhile the case is closed: the team's periods end with it, and so does her access.
    client_services.close_case(case=case, by=cast.worker.membership, outcome="moved_away")

    page.get_by_label("Find staff by name, email, unit or organisation").fill("heikkinen")
    page.get_by_role("button", name="Search").click()

    # htmx swaps nothing on an error; the page is loaded again and the server's answer is shown.
    expect(page.locator("#staff-choices")).to_have_count(0)
    expect(page.locator("h1")).not_to_have_text("Add a team member")
