"""Questionnaires in a real browser: the Oulu personal worker helps a client answer WAS and PHQ-9 on
screen, sees the scores, bands and suggested actions, the safety alert that an answer above 0 to
PHQ-9's ninth question raises, and the scores over time on the client overview; a nurse on the team
acknowledges the alert.

Every page visited is screenshotted to /tmp/polku-shots/ (instruments-*.png) and checked with axe-core
against WCAG 2.1 A and AA. Read in English, like the clients journey.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from polku.accounts.models import Role
from polku.clients import services as client_services
from polku.clients.models import Municipality
from polku.instruments.models import Response, SafetyAlert
from tests.e2e.test_clients_journey import click_label, expect_message, log_in_quickly, make_staff, path_is
from tests.factories import make_case, make_organisation

pytestmark = pytest.mark.e2e

# PHQ-9 answers by question: 1 "Several days" each for 1-3 and 5-8, question 4 left out at first, and
# question 9 "Several days" (1), which must raise the safety alert.
PHQ9_FIRST_TRY = {"1": 1, "2": 1, "3": 2, "5": 1, "6": 0, "7": 1, "8": 0, "9": 1}


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def cast(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    worker = make_staff(oulu, "PALO-tiimi", Role.PERSONAL_WORKER, "Sanna", "Koskinen")
    nurse = make_staff(oulu, "Terveyspalvelut", Role.NURSE, "Mikko", "Heikkinen")
    case = make_case(by=worker.membership, first_names="Matti", last_name="Esimerkki")
    client_services.add_team_member(case=case, member=nurse.membership, by=worker.membership)
    return worker, nurse, case


def test_worker_helps_a_client_answer_was_and_phq9_and_the_team_sees_the_alert(
    page, browser, live_server, cast, audit, browser_log
):
    worker, nurse, case = cast
    detail = reverse("clients:detail", args=[case.client.public_id])

    # The overview: no questionnaires yet, and the way to fill one in.
    log_in_quickly(page, live_server, worker.user)
    page.goto(detail)
    expect(page.locator("#questionnaires")).to_have_text("Questionnaires")
    expect(page.locator("main")).to_contain_text("No questionnaires answered yet.")
    audit.check(page, "instruments-01-overview-empty")

    page.get_by_role("link", name="Fill in a questionnaire").click()
    expect(page).to_have_url(path_is(reverse("instruments:case", args=[case.public_id])))
    audit.check(page, "instruments-02-questionnaires")

    # WAS: one question on a 0-10 scale.
    page.get_by_test_id("instruments").get_by_role("link", name="Work Ability Score (WAS)").click()
    expect(page.locator("h1")).to_have_text("Work Ability Score (WAS)")
    expect(page.locator("main fieldset legend").first).to_contain_text("How many points would you give")
    audit.check(page, "instruments-03-was-form")
    click_label(page, "id_item_1_4")
    page.get_by_role("button", name="Submit the answers").click()
    expect_message(page, "Answers saved and scored.")
    expect(page.get_by_test_id("result")).to_contain_text("4")
    expect(page.get_by_test_id("band")).to_have_text("Poor")
    expect(page.get_by_test_id("action")).to_contain_text(
        "consider a comprehensive multidisciplinary work ability assessment"
    )
    audit.check(page, "instruments-04-was-result")

    # PHQ-9: a required answer left out is refused with a message that takes focus; nothing is stored.
    page.goto(reverse("instruments:answer", args=[case.public_id, "phq9"]))
    for link_id, value in PHQ9_FIRST_TRY.items():
        click_label(page, f"id_item_{link_id}_{value}")
    page.get_by_role("button", name="Submit the answers").click()
    summary = page.locator("main [data-polku-focus]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_contain_text("Answer this question; it is required.")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_item_4")
    expect(page.locator("#id_item_4-error")).to_contain_text("Answer this question; it is required.")
    expect(page.locator("#id_item_9_1")).to_be_checked()  # what was chosen is kept
    assert Response.objects.filter(version__instrument__code="phq9").count() == 0
    audit.check(page, "instruments-05-phq9-missing-answer")

    # Answered: the score, the band, and the safety guidance at once.
    click_label(page, "id_item_4_2")
    page.get_by_role("button", name="Submit the answers").click()
    expect(page.get_by_test_id("band")).to_have_text("Mild")  # 1+1+2+2+1+0+1+0+1 = 9
    alert = page.get_by_test_id("safety-alert")
    expect(alert).to_contain_text("Safety alert: PHQ-9 question 9")
    expect(alert).to_contain_text("If there is immediate danger, call 112")
    audit.check(page, "instruments-06-phq9-result-with-alert")

    # The overview: the alert at the top, and each instrument's scores as a chart and a table.
    page.goto(detail)
    expect(page.get_by_test_id("safety-alert")).to_contain_text("PHQ-9 question 9")
    expect(page.get_by_test_id("scores-was")).to_contain_text("latest 4 / 10 (Poor)")
    expect(page.get_by_test_id("scores-phq9")).to_contain_text("latest 9 / 27 (Mild)")
    expect(page.get_by_test_id("scores-phq9").locator("svg polyline")).to_have_count(1)
    expect(page.get_by_test_id("scores-phq9").locator("table")).to_contain_text("Mild")
    # The screening rules flagged what the answers show: WAS 4 (5 or less) asks for a work ability
    # assessment; PHQ-9 at 9 is under the mental health rule's 10, but any answer above 0 to question 9
    # makes mental health an urgent need.
    needs = page.get_by_test_id("support-needs")
    expect(needs).to_contain_text("Work ability assessment")
    expect(needs).to_contain_text("WAS score 4 (threshold: at most 5), answered on")
    expect(needs.locator("li", has_text="Mental health").first).to_contain_text("Urgent")
    expect(needs).to_contain_text("PHQ-9 question 9: 1 point (threshold: more than 0)")
    expect(needs).not_to_contain_text("phq9.item.9")
    audit.check(page, "instruments-07-overview-with-scores-and-alert")

    # The caseload flags the client.
    page.goto(reverse("clients:caseload"))
    expect(page.get_by_test_id("caseload").locator("tbody tr")).to_contain_text("Safety alert")
    audit.check(page, "instruments-08-caseload-flag")

    # The nurse on the team acknowledges it; the time and who are kept.
    nurse_page = page.context.browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in_quickly(nurse_page, live_server, nurse.user)
    nurse_page.goto(detail)
    nurse_page.get_by_role("link", name="Acknowledge the alert").click()
    expect(nurse_page.locator("h1")).to_have_text("Acknowledge the safety alert")
    nurse_page.fill("#id_note", "Talked with the client; same-day appointment at the health centre.")
    nurse_page.get_by_role("button", name="Acknowledge", exact=True).click()
    expect(nurse_page).to_have_url(path_is(detail))
    expect(nurse_page.get_by_test_id("safety-alert")).to_have_count(0)
    nurse_page.context.close()
    acknowledged = SafetyAlert.objects.get()
    assert acknowledged.acknowledged_by == nurse.membership and acknowledged.acknowledged_at is not None

    page.goto(detail)
    expect(page.get_by_test_id("safety-alert")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("Safety alert acknowledged")
    audit.check(page, "instruments-09-overview-after-acknowledgement")

    audit.assert_accessible()
    browser_log.assert_clean()
