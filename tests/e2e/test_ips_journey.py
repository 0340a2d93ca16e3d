"""IPS supported employment in a real browser: the Oulu job coach takes the personal worker's client
into IPS from the client overview, fills in the career profile, records benefits counselling, adds an
employer and logs a contact on the client's behalf, adds a part-time opening, sees it matched to the
client and records the client's decision, records a job start and a follow-along contact, and
completes an IPS-25 fidelity review.

Every page visited is screenshotted to /tmp/polku-shots/ (ips-*.png) and checked with axe-core against
WCAG 2.1 A and AA. Read in English.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from polku.accounts.models import Role
from polku.clients import services as client_services
from polku.clients.models import Municipality
from polku.employment.models import (
    BenefitsCounselling,
    CareerProfile,
    EmployerContact,
    FidelityReview,
    FollowAlong,
    IpsPeriod,
    Job,
    JobOpening,
    OpeningDiscussion,
)
from tests.e2e.test_clients_journey import click_label, expect_message, log_in_quickly, make_staff
from tests.factories import make_case, make_membership, make_organisation

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def cast(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    coach = make_staff(oulu, "IPS-työhönvalmennus", Role.JOB_COACH, "Kalle", "Kataja")
    worker = make_membership(unit=coach.membership.unit, role=Role.PERSONAL_WORKER)
    case = make_case(
        by=worker,
        first_names="Matti",
        last_name="Esimerkki",
        opened_on=timezone.localdate() - timedelta(days=60),
    )
    client_services.add_team_member(case=case, member=coach.membership, by=worker)
    return coach, case


def test_the_coach_supports_a_client_from_entry_to_a_job_and_reviews_fidelity(
    page, live_server, cast, audit, browser_log
):
    coach, case = cast
    today = timezone.localdate()
    log_in_quickly(page, live_server, coach.user)

    # The coach's home page is the IPS caseload, empty at first.
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("IPS caseload")
    audit.check(page, "ips-01-caseload-empty")

    page.goto(live_server.url + reverse("clients:detail", args=[case.client.public_id]))
    page.get_by_role("link", name="Supported employment", exact=True).click()
    expect(page.locator("h1")).to_have_text("Supported employment (IPS)")
    audit.check(page, "ips-02-enter")
    page.fill("#id_wish", "Haluan töihin kahvilaan, osa-aikaisesti")
    page.get_by_role("button", name="Start supported employment").click()
    expect_message(page, "The client is now in supported employment (IPS).")
    period = IpsPeriod.objects.get()
    audit.check(page, "ips-03-period")

    page.get_by_role("link", name="Career profile").click()
    page.fill("#id_work_history", "Kahvila 2015-2018")
    click_label(page, "id_job_fields_4")  # kitchen, restaurant and catering
    page.fill("#id_hours_min", "10")
    page.fill("#id_hours_max", "20")
    page.select_option("#id_municipalities", ["564"])
    click_label(page, "id_adjustments_1")  # gradual start
    click_label(page, "id_disclosure_2")  # some things may be told
    page.fill("#id_disclosure_note", "Saa kertoa tarpeesta rauhalliseen aloitukseen")
    audit.check(page, "ips-04-profile")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Career profile saved.")
    assert CareerProfile.objects.get().job_fields == ["food"]

    page.get_by_role("link", name="Record benefits counselling").click()
    click_label(page, "id_reason_0")
    page.fill("#id_given_on", today.isoformat())
    page.fill("#id_given_by", "Kelan etuusneuvoja")
    page.fill("#id_questions", "Osa-aikatyön tulot ja työttömyysetuus")
    audit.check(page, "ips-05-counselling")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Benefits counselling recorded.")
    assert BenefitsCounselling.objects.count() == 1

    page.goto(live_server.url + reverse("employment:employer_new"))
    page.fill("#id_name", "Kahvila Esimerkki Oy")
    page.fill("#id_business_id", "0737546-2")
    audit.check(page, "ips-06-employer-new")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Kahvila Esimerkki Oy")
    audit.check(page, "ips-07-employer")

    page.get_by_role("link", name="Log an employer contact").click()
    click_label(page, "id_purpose_1")  # presenting a job seeker
    click_label(page, "id_job_seekers_0")
    audit.check(page, "ips-08-contact")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Employer contact recorded.")
    expect(page.get_by_test_id("contact-log")).to_contain_text("Matti Esimerkki")
    assert list(EmployerContact.objects.get().job_seekers.all()) == [period]

    page.get_by_role("link", name="Add a job opening").click()
    page.fill("#id_title", "Kahvilatyöntekijä")
    page.select_option("#id_job_field", "food")
    page.fill("#id_hours_min", "8")
    page.fill("#id_hours_max", "16")
    page.select_option("#id_municipality", "564")
    click_label(page, "id_adjustments_1")
    audit.check(page, "ips-09-opening-new")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Job opening saved.")
    expect(page.get_by_test_id("seekers")).to_contain_text("Matti Esimerkki")
    assert JobOpening.objects.get().is_part_time
    audit.check(page, "ips-10-opening")

    page.get_by_role("link", name="Matti Esimerkki").click()
    expect(page.get_by_test_id("matches")).to_contain_text("Kahvilatyöntekijä")
    audit.check(page, "ips-11-matches")
    click_label(page, "d-1-apply")
    page.get_by_role("button", name="Record the discussion").click()
    expect_message(page, "Discussion recorded.")
    assert OpeningDiscussion.objects.get().decision == "apply"

    page.goto(live_server.url + reverse("employment:job_start", args=[period.public_id]))
    page.select_option("#id_employer", label="Kahvila Esimerkki Oy")
    page.fill("#id_title", "Kahvilatyöntekijä")
    page.select_option("#id_job_field", "food")
    page.fill("#id_hours_per_week", "12")
    audit.check(page, "ips-12-job-start")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Job start recorded.")
    expect(page.get_by_test_id("phase")).to_have_text("Working (follow-along)")
    expect(page.get_by_test_id("jobs")).to_contain_text("First job")
    assert Job.objects.count() == 1

    page.get_by_role("link", name="Record a follow-along contact").click()
    page.fill("#id_note", "Ensimmäinen viikko sujui")
    audit.check(page, "ips-13-follow-along")
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Follow-along contact recorded.")
    assert FollowAlong.objects.count() == 1
    audit.check(page, "ips-14-period-working")

    page.goto(live_server.url + reverse("employment:review_new"))
    page.fill("#id_reviewers", "Kalle Kataja, ulkoinen arvioija")
    for item in range(1, 26):
        click_label(page, f"id_item_{item}_3")  # 4 of 5
    expect(page.get_by_test_id("measured-17")).to_be_visible()
    audit.check(page, "ips-15-review-form")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_test_id("total")).to_contain_text("Total 100 / 125")
    expect(page.get_by_test_id("total")).to_contain_text("Good fidelity")
    assert FidelityReview.objects.count() == 1
    audit.check(page, "ips-16-review")

    page.goto(live_server.url + reverse("employment:fidelity"))
    expect(page.get_by_test_id("chart")).to_be_visible()
    audit.check(page, "ips-17-fidelity")

    audit.assert_accessible()
    browser_log.assert_clean()
