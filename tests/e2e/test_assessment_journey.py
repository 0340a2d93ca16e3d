"""The multidisciplinary work ability assessment in a real browser: the Oulu personal worker starts it
from the client overview and invites the county's nurse for the somatic domain; both record findings
(the nurse with ICF codes); the worker records the team meeting with the client's own view and
concludes after confirming that the record locks. The county has the client's consent to disclose
health care records to the city, so the worker reads the nurse's findings.

Every page is screenshotted to /tmp/polku-shots/ (assessment-*.png) and checked with axe-core against
WCAG 2.1 A and AA. Read in English, like the other journeys.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from polku.assessments.models import Assessment, Finding
from polku.clients import services as client_services
from tests.e2e.test_clients_journey import (
    another_browser,
    cast,  # noqa: F401 - the fixture
    click_label,
    expect_message,
    log_in_quickly,
    path_is,
)
from tests.factories import make_case

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def story(cast):  # noqa: F811 - the fixture imported above
    worker, nurse = cast.worker.membership, cast.nurse.membership
    case = make_case(by=worker, first_names="Matti", last_name="Esimerkki")
    client_services.add_team_member(case=case, member=nurse, by=worker)
    client_services.record_consent(
        client=case.client,
        by=nurse,
        discloser=cast.county,
        recipient=cast.oulu,
        covers_health=True,
        purpose="Työkyvyn arviointi",
        valid_from=timezone.localdate(),
        method="written",
    )
    return cast, case


def test_the_team_assesses_work_ability_and_the_worker_concludes(
    page, browser, live_server, story, audit, browser_log
):
    people, case = story
    detail = reverse("clients:detail", args=[case.client.public_id])

    # The worker starts the assessment from the client overview.
    log_in_quickly(page, live_server, people.worker.user)
    page.goto(detail)
    panel = page.locator("section", has=page.locator("#assessments"))
    expect(panel).to_contain_text("No work ability assessments.")
    audit.check(page, "assessment-01-overview")
    panel.get_by_role("link", name="Start a work ability assessment").click()
    expect(page.locator("h1")).to_have_text("Start a work ability assessment")
    page.fill("#id_question", "What kind of work suits Matti now?")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.locator("main [data-polku-focus]")).to_contain_text("Kind of assessment")
    expect(page.locator("#id_question")).to_have_value("What kind of work suits Matti now?")
    audit.check(page, "assessment-02-start-missing-kind")
    click_label(page, "id_kind_0")
    page.get_by_role("button", name="Start the assessment").click()
    assessment = Assessment.objects.get()
    expect(page).to_have_url(path_is(reverse("assessments:assessment", args=[assessment.public_id])))
    expect_message(page, "Assessment started.")
    audit.check(page, "assessment-03-started")

    # The nurse is invited for the somatic domain.
    page.get_by_role("link", name="Invite a team member").click()
    audit.check(page, "assessment-04-invite")
    page.select_option("#id_member", str(people.nurse.membership.pk))
    click_label(page, "id_domain_0")  # somatic
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_test_id("invitations")).to_contain_text("Mikko Heikkinen")
    expect(page.get_by_test_id("invitations")).to_contain_text("Somatic")

    # The worker's own findings: the social domain.
    page.get_by_role("link", name="Record findings").click()
    domains = page.get_by_role("group", name="Domain")
    expect(domains).to_contain_text("Social")
    expect(domains).not_to_contain_text("Somatic")
    audit.check(page, "assessment-05-worker-findings-form")
    click_label(page, "id_domain_0")  # social
    page.fill("#id_text", "Lives alone; a small network of friends. Debts under a payment plan.")
    page.fill("#id_icf_codes", "d760 e310")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Findings recorded.")

    # The nurse, in her own browser, records the somatic findings with ICF codes.
    with another_browser(browser, live_server, "en-GB", browser_log) as nurse_page:
        log_in_quickly(nurse_page, live_server, people.nurse.user)
        nurse_page.goto(detail)
        nurse_page.locator("section", has=nurse_page.locator("#assessments")).get_by_role(
            "link", name="Comprehensive work ability assessment"
        ).click()
        expect(nurse_page.locator("h1")).to_have_text("Work ability assessment")
        expect(nurse_page.get_by_role("link", name="Conclude the assessment")).to_have_count(0)
        audit.check(nurse_page, "assessment-06-nurse-assessment")
        nurse_page.get_by_role("link", name="Record findings").click()
        expect(nurse_page.locator("input[name=domain]")).to_have_count(1)
        nurse_page.fill("#id_text", "Back pain after standing for an hour; walks 2 km without rest.")
        nurse_page.fill("#id_icf_codes", "b28013 b999")
        nurse_page.get_by_role("button", name="Save").click()
        expect(nurse_page.locator("main [data-polku-focus]")).to_contain_text("b999")
        expect(nurse_page.locator("#id_text")).to_have_value(
            "Back pain after standing for an hour; walks 2 km without rest."
        )
        audit.check(nurse_page, "assessment-07-nurse-unknown-icf-code")
        nurse_page.fill("#id_icf_codes", "b28013 b455 d415")
        nurse_page.get_by_role("button", name="Save").click()
        expect(nurse_page.locator("main")).to_contain_text("b28013 Pain in back")
        audit.check(nurse_page, "assessment-08-nurse-finding-saved")
    assert Finding.objects.get(domain="somatic").register == "health"

    # The worker records the team meeting and concludes.
    page.reload()
    expect(page.locator("main")).to_contain_text("Back pain after standing for an hour")
    page.get_by_role("link", name="Record the team meeting").click()
    audit.check(page, "assessment-09-meeting-form")
    page.fill(
        "#id_participants", "Matti Esimerkki, Sanna Koskinen (personal worker), Mikko Heikkinen (nurse)"
    )
    page.fill("#id_client_view", "I want to work again, but not on my feet all day.")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Team meeting recorded.")
    expect(page.get_by_test_id("meeting")).to_contain_text("not on my feet all day")

    page.get_by_role("link", name="Conclude the assessment").click()
    click_label(page, "id_conclusion_1")  # open labour market with adjustments
    page.fill("#id_summary", "Fit for light work with the possibility to sit; back pain to be treated.")
    page.fill("#id_recommendations", "Work trial in customer service\nPhysiotherapy for the back")
    page.get_by_role("button", name="Conclude and lock").click()
    expect(page.locator("main [data-polku-focus]")).to_contain_text("Confirm that the assessment is locked")
    expect(page.locator("#id_recommendations")).to_have_value(
        "Work trial in customer service\nPhysiotherapy for the back"
    )
    audit.check(page, "assessment-10-conclude-unconfirmed")
    click_label(page, "id_confirm")
    # Domains without findings are named and confirmed before the assessment is locked.
    expect(page.locator("#id_confirm_empty_domains")).to_be_attached()
    click_label(page, "id_confirm_empty_domains")
    page.get_by_role("button", name="Conclude and lock").click()
    expect_message(page, "Assessment concluded.")
    expect(page.get_by_test_id("conclusion")).to_have_text("Open labour market with adjustments")
    expect(page.get_by_test_id("recommendations")).to_contain_text("Physiotherapy for the back")
    expect(page.get_by_role("link", name="Record findings")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the summary (PDF)")).to_be_visible()
    audit.check(page, "assessment-11-concluded")

    # The overview lists it as concluded, and the timeline tells of it.
    page.goto(detail)
    expect(page.get_by_test_id("assessments")).to_contain_text("Open labour market with adjustments")
    expect(page.get_by_test_id("timeline")).to_contain_text("Work ability assessment concluded")
    audit.check(page, "assessment-12-overview-after")

    assert Assessment.objects.get().is_concluded
    audit.assert_accessible()
    browser_log.assert_clean()
