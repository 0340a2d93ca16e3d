"""A work trial in a real browser: the Oulu personal worker agrees a work trial at an employer not in
Polku, enters a week's attendance, and sends the supervisor the feedback link. The supervisor opens
the link from the email in a fresh browser (no account, no login) and answers; the worker then sees
the feedback on the placement page and in the client's timeline. Going back to the form, and opening the
used link again, says that the feedback was received (and when), nothing else; a link that never worked
gets the refusal page.

Every page visited is screenshotted to /tmp/polku-shots/ (placements-*.png) and checked with axe-core
against WCAG 2.1 A and AA, the public feedback form included. Read in English.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from polku.accounts.models import Role
from polku.clients.models import Municipality
from polku.placements.models import Attendance, Feedback, Placement
from tests.e2e.conftest import BrowserLog
from tests.e2e.test_clients_journey import (
    another_browser,
    click_label,
    expect_message,
    log_in_quickly,
    make_staff,
    path_is,
)
from tests.factories import make_case, make_organisation

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://[^\s]+(/feedback/[A-Za-z0-9_-]+/)")


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def cast(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    worker = make_staff(oulu, "PALO-tiimi", Role.PERSONAL_WORKER, "Sanna", "Koskinen")
    case = make_case(
        by=worker.membership,
        first_names="Matti",
        last_name="Esimerkki",
        opened_on=timezone.localdate() - timedelta(days=60),
    )
    return worker, case


def test_worker_creates_a_work_trial_and_the_supervisor_gives_feedback_through_the_link(
    page, browser, live_server, browser_locale, cast, audit, browser_log
):
    worker, case = cast
    detail = reverse("clients:detail", args=[case.client.public_id])
    today = timezone.localdate()
    starts_on = today - timedelta(days=14)

    log_in_quickly(page, live_server, worker.user)
    page.goto(detail)
    expect(page.locator("#placements")).to_have_text("Work trials and rehabilitative work activity")
    audit.check(page, "placements-01-overview-empty")

    page.get_by_role("link", name="Start a work trial or rehabilitative work activity").click()
    expect(page.locator("h1")).to_have_text("New placement")
    audit.check(page, "placements-02-new-form")

    # First try: an end before the start and too long days are explained; what was typed stays.
    click_label(page, "id_kind_0")
    page.fill("#id_host_name", "Kahvila Esimerkki Oy")
    page.fill("#id_supervisor_name", "Pekka Ohjaaja")
    page.fill("#id_supervisor_email", "pekka.ohjaaja@kahvila.example")
    page.fill("#id_tasks", "Astianpesu ja salin siistiminen")
    page.fill("#id_starts_on", starts_on.isoformat())
    page.fill("#id_ends_on", (starts_on - timedelta(days=1)).isoformat())
    page.fill("#id_days_per_week", "3")
    page.fill("#id_hours_per_day", "10")
    page.fill("#id_goal_1", "Jaksaa neljän tunnin päivät")
    page.fill("#id_goal_2", "Oppii kassan käytön")
    page.get_by_role("button", name="Save the placement").click()
    summary = page.locator("main [data-polku-focus]")
    expect(summary).to_contain_text("The end date must be on or after the start date.")
    expect(summary).to_contain_text("Choose from 4 to 8 hours a day.")
    expect(page.locator("#id_tasks")).to_have_value("Astianpesu ja salin siistiminen")
    assert not Placement.objects.exists()
    audit.check(page, "placements-03-new-form-errors")

    page.fill("#id_ends_on", (today + timedelta(days=60)).isoformat())
    page.fill("#id_hours_per_day", "4")
    page.get_by_role("button", name="Save the placement").click()
    expect_message(page, "Placement saved.")
    placement = Placement.objects.get()
    expect(page).to_have_url(path_is(reverse("placements:detail", args=[placement.public_id])))
    expect(page.get_by_test_id("goals")).to_contain_text("Oppii kassan käytön")
    audit.check(page, "placements-04-detail")

    # A week's attendance on one form.
    page.get_by_role("link", name="Enter attendance").click()
    expect(page.locator("h1")).to_have_text("Attendance")
    # Last week: all its days are past.
    page.get_by_role("link", name="Previous week").click()
    first_day = page.locator("main form select").first
    first_day.select_option("present")
    page.locator("main form select").nth(1).select_option("sick")
    audit.check(page, "placements-05-attendance-week")
    page.get_by_role("button", name="Save the week").click()
    expect_message(page, "Attendance saved")
    expect(page.get_by_test_id("attendance-totals")).to_contain_text("50 % (1 of 2 recorded days)")
    assert Attendance.objects.count() == 2
    audit.check(page, "placements-06-attendance-saved")

    # The feedback link to the supervisor.
    page.goto(reverse("placements:detail", args=[placement.public_id]))
    page.get_by_role("link", name="Ask the host for feedback").click()
    expect(page.locator("h1")).to_have_text("Ask the host for feedback")
    expect(page.locator("#id_email")).to_have_value("pekka.ohjaaja@kahvila.example")
    audit.check(page, "placements-07-send-link")
    page.get_by_role("button", name="Send the link").click()
    expect_message(page, "The feedback link was sent to pekka.ohjaaja@kahvila.example.")
    expect(page.get_by_test_id("feedback-requests")).to_contain_text("Waiting for an answer")
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body)
    assert link, mail.outbox[0].body
    feedback_path = link.group(1)

    # The supervisor: a fresh browser, no account.
    with another_browser(browser, live_server, browser_locale, browser_log) as host_page:
        host_page.goto(feedback_path)
        expect(host_page).to_have_url(path_is(reverse("placements:feedback_form")))
        expect(host_page.locator("h1")).to_have_text("Mid-term feedback")
        expect(host_page.get_by_test_id("feedback-placement")).to_contain_text("Matti Esimerkki")
        expect(host_page.get_by_test_id("feedback-placement")).to_contain_text("Astianpesu")
        expect(host_page.locator("header")).not_to_contain_text("Caseload")
        audit.check(host_page, "placements-08-feedback-form")

        # Sent half-filled: the missing answers are named; the choices made stay.
        click_label(host_page, "id_rating_attendance_4")  # 5, excellent
        host_page.get_by_role("button", name="Send the feedback").click()
        expect(host_page.locator("main [data-polku-focus]")).to_contain_text("Choose a rating")
        expect(host_page.locator("#id_rating_attendance_4")).to_be_checked()
        audit.check(host_page, "placements-09-feedback-form-errors")

        for aspect, choice in (
            ("instructions", 3),
            ("pace", 2),
            ("quality", 3),
            ("cooperation", 4),
            ("endurance", 5),  # could not observe
            ("learning", 3),
            ("initiative", 1),
        ):
            click_label(host_page, f"id_rating_{aspect}_{choice}")
        host_page.fill("#id_strengths", "Täsmällinen ja ystävällinen asiakkaille.")
        click_label(host_page, "id_recommendation_1")
        host_page.get_by_role("button", name="Send the feedback").click()
        expect(host_page.locator("h1")).to_have_text("Thank you for your feedback")
        audit.check(host_page, "placements-10-feedback-thanks")
        # Back to the form after sending (the browser's Back would first ask to send the errors' POST
        # again): the answer is not lost.
        host_page.goto(reverse("placements:feedback_form"))
        expect(host_page.locator("h1")).to_have_text("The feedback has been received")
        expect(host_page.locator("main")).not_to_contain_text("Matti")

    # The same link again, in another browser: received, with when, and nothing else.
    with another_browser(browser, live_server, browser_locale, BrowserLog()) as again:
        again.goto(feedback_path)
        expect(again.locator("h1")).to_have_text("The feedback has been received")
        expect(again.get_by_test_id("feedback-received")).to_contain_text("was received on")
        expect(again.locator("main")).not_to_contain_text("Matti")
        expect(again.locator("main")).not_to_contain_text("Astianpesu")
        audit.check(again, "placements-11-link-used")

    # A link that never worked: the refusal page. Its 404 is the one problem the browser may report.
    refusal_log = BrowserLog()
    with another_browser(browser, live_server, browser_locale, refusal_log) as guessed:
        guessed.goto(feedback_path[:-2] + ("A/" if feedback_path[-2] != "A" else "B/"))
        expect(guessed.locator("h1")).to_have_text("The feedback link does not work")
        audit.check(guessed, "placements-11b-link-unknown")
    assert [problem for problem in refusal_log.problems() if "status of 404" not in problem] == []

    feedback = Feedback.objects.get()
    assert feedback.ratings["endurance"] is None and feedback.ratings["attendance"] == 5

    # The worker sees the feedback on the placement and in the timeline.
    page.goto(reverse("placements:detail", args=[placement.public_id]))
    expect(page.get_by_test_id("feedback-mid_term")).to_contain_text(
        "Täsmällinen ja ystävällinen asiakkaille."
    )
    expect(page.get_by_test_id("feedback-mid_term")).to_contain_text("Could not observe")
    audit.check(page, "placements-12-detail-with-feedback")
    page.goto(detail)
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Mid-term feedback received from Kahvila Esimerkki Oy"
    )
    expect(page.get_by_test_id("placements")).to_contain_text("Mid-term feedback given")
    audit.check(page, "placements-13-overview-with-placement")

    audit.assert_accessible()
    browser_log.assert_clean()
