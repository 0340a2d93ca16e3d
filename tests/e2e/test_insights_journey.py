"""Knowledge-based management in a real browser: the Oulu manager opens the figures, changes the period
and the scope, follows a figure to its definition and downloads a table as XLSX. axe-core checks every
page, and the figures page must fit a 375 px screen.

Screenshots go to /tmp/polku-shots/ (insights-*.png). Read in English.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from polku.accounts.models import Role
from polku.clients.models import Municipality
from polku.insights import services
from tests.e2e.test_clients_journey import log_in_quickly
from tests.factories import make_case, make_membership, make_organisation, make_unit

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def manager(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    worker = make_membership(unit=make_unit(organisation=oulu, name="PALO-tiimi"), role=Role.PERSONAL_WORKER)
    year = timezone.localdate().year
    cases = [make_case(by=worker, opened_on=date(year, 1, 1 + n)) for n in range(8)]
    services.refresh([case.pk for case in cases])
    return make_membership(unit=make_unit(organisation=oulu, name="Johto"), role=Role.MANAGER)


def fits(page, width: int) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_the_manager_reads_the_figures_follows_a_definition_and_downloads_a_table(
    page, live_server, manager, audit, browser_log
):
    log_in_quickly(page, live_server, manager.user)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/insights/")
    expect(page.locator("[data-testid=funnel] tbody tr").first).to_contain_text("8")
    audit.check(page, "insights-dashboard")

    page.select_option("select[name=period]", "quarter")
    page.select_option("select[name=quarter]", "1")
    page.locator("[data-testid=figures-form] button[type=submit]").click()
    expect(page.locator("[data-testid=figures-about]")).to_contain_text("Q1")
    unit_scope = page.locator("select[name=scope] option", has_text="PALO-tiimi").get_attribute("value")
    page.select_option("select[name=scope]", unit_scope)
    page.locator("[data-testid=figures-form] button[type=submit]").click()
    expect(page.locator("[data-testid=figures-about]")).to_contain_text("PALO-tiimi")
    audit.check(page, "insights-unit-quarter")

    page.set_viewport_size({"width": 375, "height": 800})
    assert fits(page, 375), "the figures page scrolls sideways at 375 px"
    audit.check(page, "insights-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("a[href='/insights/definitions/funnel/']").first.click()
    expect(page.locator("[data-testid=definition-name]")).to_have_text("The client path (funnel)")
    audit.check(page, "insights-definition")
    page.go_back()

    with page.expect_download() as download:
        page.locator("[data-testid=xlsx-funnel]").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Step"

    audit.assert_accessible()
    browser_log.assert_clean()
