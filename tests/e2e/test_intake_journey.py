"""Early identification in a real browser: the Oulu personal worker imports a registry extract (one
with an error first), follows it to the end, opens the worklist, marks one person contacted (a case
opens with the flagged support needs) and another not relevant. axe-core checks every page.

Screenshots go to /tmp/polku-shots/ (intake-*.png). Read in English, like the clients journey.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from polku.clients.models import Case, Client, Municipality
from polku.intake.models import RegistryPerson
from polku.screening.models import SupportNeed
from tests.e2e.test_clients_journey import (
    click_label,
    expect_message,
    log_in,
    make_staff,
    path_is,
    submit_main_form,
)
from tests.factories import make_organisation, synthetic_identity_code

pytestmark = pytest.mark.e2e

HEADER = "henkilotunnus;sukunimi;etunimet;kotikunta;tyoton_alkaen;etuus;vamma_tai_sairaus;viimeisin_palvelu_paattyi;poiminta_pvm"


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


def extract(rows: list[str]) -> dict[str, object]:
    out = io.StringIO()
    out.write(HEADER + "\n")
    for row in rows:
        out.write(row + "\n")
    return {"name": "poiminta.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8")}


def people() -> list[str]:
    on = timezone.localdate() - timedelta(days=1)
    long_ago = f"{on.day}.{on.month}.{on.year - 3}"
    rows = []
    for n, (last, first) in enumerate(
        [("Aaltonen", "Aino"), ("Björk", "Bertta"), ("Ceder", "Cecilia")], start=1
    ):
        code = synthetic_identity_code(700 + n, birth_date=date(1968, n, 10 + n))
        home = "890" if last == "Aaltonen" else "564"  # Utsjoki: outside the Oulu unit's area
        rows.append(f"{code};{last};{first};{home};{long_ago};tyomarkkinatuki;ei;;{on.isoformat()}")
    young = synthetic_identity_code(710, birth_date=date(1999, 5, 5))
    rows.append(f"{young};Nuori;Niko;564;;ei;ei;;{on.isoformat()}")  # not flagged
    return rows


def test_worker_imports_an_extract_and_works_through_the_worklist(
    page, cast, audit, browser_log, settings, tmp_path
):
    settings.REGISTRY_EXTRACT_DIR = tmp_path
    worker = cast
    log_in(page, worker)

    page.get_by_role("link", name="Early identification").click()
    expect(page).to_have_url(path_is("/intake/worklist/"))
    expect(page.locator("main")).to_contain_text("Nobody is waiting to be contacted.")
    audit.check(page, "intake-worklist-empty")

    page.get_by_role("link", name="Registry extracts").click()
    audit.check(page, "intake-extracts")

    # An extract with a mistake: nothing is imported, and the line, column and reason are shown.
    rows = people()
    page.set_input_files("#id_file", extract([*rows[:2], rows[2].replace(";564;", ";999;")]))
    submit_main_form(page)
    expect(page.get_by_test_id("extract-status")).to_have_text("Rejected")
    problems = page.get_by_test_id("problems")
    expect(problems).to_contain_text("4")
    expect(problems).to_contain_text("kotikunta")
    expect(problems).to_contain_text("“999” is not a municipality code")
    assert not RegistryPerson.objects.exists()
    audit.check(page, "intake-extract-rejected")

    # The corrected extract.
    page.get_by_role("link", name="Back to the extracts").click()
    page.set_input_files("#id_file", extract(rows))
    submit_main_form(page)
    expect(page.get_by_test_id("extract-status")).to_have_text("Imported")
    expect(page.get_by_test_id("extract-progress")).to_contain_text("Flagged by the screening rules")
    audit.check(page, "intake-extract-imported")

    page.get_by_role("link", name="Open the worklist").click()
    worklist = page.get_by_test_id("worklist")
    expect(worklist.locator("tbody tr")).to_have_count(3)
    expect(worklist).to_contain_text("Unemployed 24 months or more")
    expect(worklist).not_to_contain_text("Nuori")
    audit.check(page, "intake-worklist")

    # Contacted: a case opens and the flagged needs become the client's support needs.
    expect(worklist.locator("tr", has_text="Aaltonen").get_by_test_id("outside-area")).to_have_text(
        "Home municipality Utsjoki is outside the unit's area"
    )
    worklist.locator("tr", has_text="Aaltonen").get_by_role("link", name="Contacted").click()
    expect(page.get_by_test_id("outside-area")).to_contain_text("Home municipality Utsjoki")
    audit.check(page, "intake-contacted")
    click_label(page, "id_confirm")
    submit_main_form(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aino Aaltonen")
    expect(page.get_by_test_id("support-needs")).to_contain_text("Work ability assessment")
    client = Client.objects.get(last_name="Aaltonen")
    assert Case.objects.get(client=client).unit == worker.membership.unit
    assert SupportNeed.objects.filter(client=client, kind="work_ability_assessment").exists()
    audit.check(page, "intake-client-with-needs")

    # The case team marks the need acted on: what was done is the case just opened.
    page.get_by_test_id("support-needs").get_by_role("link", name="Mark acted on").click()
    audit.check(page, "screening-act-on-need")
    page.locator("label[for=id_action_0]").click()
    submit_main_form(page)
    expect(page.get_by_test_id("support-needs")).to_contain_text("Acted on")
    expect(
        page.get_by_test_id("support-needs").get_by_role("link", name="Case in PALO-tiimi")
    ).to_be_visible()
    assert SupportNeed.objects.get(client=client).status == "acted_on"

    # Not relevant, with the reason (first without one).
    page.get_by_role("link", name="Early identification").click()
    page.get_by_test_id("worklist").locator("tr", has_text="Björk").get_by_role(
        "link", name="Not relevant"
    ).click()
    submit_main_form(page)
    expect(page.locator("main")).to_contain_text("This field is required.")
    audit.check(page, "intake-not-relevant-error")
    page.fill("#id_reason", "Moved to Sweden according to the client herself.")
    submit_main_form(page)
    expect(page).to_have_url(path_is("/intake/worklist/"))
    expect_message(page, "Marked not relevant: Bertta Björk.")
    expect(page.get_by_test_id("worklist").locator("tbody tr")).to_have_count(1)
    audit.check(page, "intake-worklist-after")

    audit.assert_accessible()
    browser_log.assert_clean()


@pytest.fixture
def cast(transactional_db: None):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    return make_staff(oulu, "PALO-tiimi", "personal_worker", "Sanna", "Koskinen")
