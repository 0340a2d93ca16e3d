"""A work trial host in a real browser: after logging in the front page takes them to the placements
their unit hosts; the navigation offers that list and nothing they cannot use; they enter a day's
attendance and then correct it; they give the mid-term feedback from their list without any emailed
link; the client overview is closed to them (404). The personal worker sees the correction and the
feedback, with who gave them, on the placement page and the client's timeline.

Every page visited is checked with axe-core (WCAG 2.1 A and AA) and screenshotted (host-*.png)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from polku.accounts.models import OrganisationKind, Role
from polku.clients.models import Municipality
from polku.placements import selectors
from polku.placements.models import AttendanceChange
from tests.e2e.conftest import BrowserLog
from tests.e2e.test_clients_journey import (
    another_browser,
    expect_message,
    log_in_quickly,
    make_staff,
    path_is,
)
from tests.factories import make_case, make_organisation, make_placement

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_locale() -> str:
    return "en-GB"


@pytest.fixture
def cast(transactional_db):
    Municipality.objects.get_or_create(code="564", defaults={"name_fi": "Oulu", "name_sv": "Uleåborg"})
    oulu = make_organisation(name="Oulun kaupunki (testi)", municipality_code="564")
    cafe = make_organisation(name="Kahvila Testi Oy", kind=OrganisationKind.EMPLOYER, municipality_code="564")
    worker = make_staff(oulu, "PALO-tiimi", Role.PERSONAL_WORKER, "Sanna", "Koskinen")
    host = make_staff(cafe, "Kahvila", Role.WORK_TRIAL_HOST, "Kaisa", "Kahvinen")
    case = make_case(
        by=worker.membership,
        first_names="Matti",
        last_name="Esimerkki",
        opened_on=timezone.localdate() - timedelta(days=60),
    )
    placement = make_placement(
        case=case,
        by=worker.membership,
        host_name="",
        host_unit=host.membership.unit,
        starts_on=timezone.localdate() - timedelta(days=14),
    )
    return worker, host, placement


def test_the_host_lands_on_their_list_enters_and_corrects_attendance_and_sees_no_client(
    page, browser, live_server, browser_locale, cast, audit, browser_log
):
    worker, host, placement = cast
    log_in_quickly(page, live_server, host.user)
    page.goto("/")
    expect(page).to_have_url(path_is(reverse("placements:hosted")))
    expect(page.locator("h1")).to_have_text("Placements you host")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["Placements you host"])
    expect(page.get_by_test_id("hosted")).to_contain_text("Matti Esimerkki")
    audit.check(page, "host-01-hosted")

    page.get_by_test_id("hosted").get_by_role("link", name="Enter attendance").first.click()
    expect(page.locator("h1")).to_have_text("Attendance")
    monday = selectors.week_of(placement.starts_on)
    page.goto(f"{reverse('placements:attendance', args=[placement.public_id])}?week={monday.isoformat()}")
    day = placement.starts_on
    select = page.locator(f"#id_day_{day.isoformat()}")
    select.select_option("present")
    page.get_by_role("button", name="Save the week").click()
    expect_message(page, "Attendance saved (1 days changed).")
    page.locator(f"#id_day_{day.isoformat()}").select_option("sick")
    page.get_by_role("button", name="Save the week").click()
    expect_message(page, "Attendance saved (1 days changed).")
    audit.check(page, "host-02-attendance")
    assert list(AttendanceChange.objects.order_by("id").values_list("old_status", "new_status")) == [
        ("", "present"),
        ("present", "sick"),
    ]

    # Feedback without the emailed link: from the list, in their own name.
    page.goto(reverse("placements:hosted"))
    page.get_by_test_id("hosted-feedback").get_by_role("link", name="Give feedback").click()
    expect(page.locator("h1")).to_have_text("Give feedback")
    expect(page.get_by_test_id("feedback-placement")).to_contain_text("Matti Esimerkki")
    audit.check(page, "host-02b-feedback-form")
    page.get_by_role("button", name="Send the feedback").click()  # nothing chosen: the errors, named
    expect(page.locator("main [data-polku-focus]")).to_contain_text("Choose a rating")
    for aspect in ("attendance", "instructions", "pace", "quality", "cooperation", "endurance", "learning"):
        page.locator(f"label[for='id_rating_{aspect}_3']").click()
    page.locator("label[for='id_rating_initiative_5']").click()  # could not observe
    page.locator("label[for='id_recommendation_0']").click()
    page.fill("#id_strengths", "Oppii nopeasti.")
    page.get_by_role("button", name="Send the feedback").click()
    expect_message(page, "Thank you: your feedback was saved")
    expect(page.get_by_test_id("hosted-feedback")).to_contain_text("Mid-term feedback given")
    audit.check(page, "host-02c-feedback-given")

    # Nothing else of the client: the overview answers 404 (the one problem the browser may report).
    refusal_log = BrowserLog()
    with another_browser(browser, live_server, browser_locale, refusal_log) as other:
        log_in_quickly(other, live_server, host.user)
        other.goto(reverse("clients:detail", args=[placement.client.public_id]))
        expect(other.locator("main")).not_to_contain_text("Matti")
        audit.check(other, "host-03-overview-refused")
    assert [problem for problem in refusal_log.problems() if "status of 404" not in problem] == []

    # The personal worker sees the host's correction on the placement page.
    with another_browser(browser, live_server, browser_locale, BrowserLog()) as worker_page:
        log_in_quickly(worker_page, live_server, worker.user)
        worker_page.goto(reverse("placements:detail", args=[placement.public_id]))
        changes = worker_page.get_by_test_id("attendance-changes")
        expect(changes).to_contain_text("Kaisa Kahvinen")
        expect(changes).to_contain_text("Sick")
        expect(worker_page.get_by_test_id("feedback-mid_term")).to_contain_text("Oppii nopeasti.")
        audit.check(worker_page, "host-04-worker-sees-the-correction")
        worker_page.goto(reverse("clients:detail", args=[placement.client.public_id]))
        expect(worker_page.get_by_test_id("timeline")).to_contain_text(
            "Kaisa Kahvinen (Kahvila, Kahvila Testi Oy)"
        )

    audit.assert_accessible()
    browser_log.assert_clean()
