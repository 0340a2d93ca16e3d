"""The situation report of a municipality: counts by age, unemployment duration, need and status, the
change since the previous report, as a page, a PDF and a workbook; managers only."""

import io
from datetime import date

from openpyxl import load_workbook

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.clients import services as clients
from polku.clients.models import CaseOutcome, Municipality
from polku.insights import services, situation
from polku.insights.models import SituationSnapshot
from tests.conftest import client_as
from tests.factories import make_case, make_membership, make_unit, synthetic_identity_code

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_report_counts_people_by_status_and_hides_small_numbers(worker, manager):
    opened = [make_case(by=worker, opened_on=date(2026, 1, 5)) for _ in range(7)]
    clients.close_case(
        case=opened[0], outcome=CaseOutcome.OPEN_MARKET_PART_TIME, by=worker, closed_on=date(2026, 3, 1)
    )
    services.refresh_all()
    report = situation.report(
        organisation_id=manager.unit.organisation_id,
        municipality=Municipality.objects.get(code="564"),
        on=date(2026, 6, 1),
    )
    assert report.raw["total"] == 7
    assert [sum(column) for column in zip(*report.raw["age"], strict=True)] == [6, 0, 1]
    # The one person in work is hidden, and so is anything it could be worked out from.
    assert report.status_totals[2].text == "< 5"
    assert report.status_totals[0].shown is None or report.total.shown is None
    assert all(
        cell.text in ("0", "< 5", "×") or cell.value >= 5
        for _l, cells, _t, _c in report.age
        for cell in cells
    )


def same_age(worker, n, first, opened_on):
    # Born in 1980: one age band, so the small-number rule leaves the totals shown.
    for i in range(n):
        code = synthetic_identity_code(first + i, birth_date=date(1980, 3, 1 + i))
        make_case(by=worker, opened_on=opened_on, identity_code=code)


def test_the_manager_downloads_the_pdf_and_the_next_report_shows_the_change(worker, manager):
    same_age(worker, 6, 500, date(2026, 1, 5))
    services.refresh_all()
    browser = client_as(manager)
    page = browser.get("/insights/situation/", {"municipality": "564"}, **EN)
    assert page.status_code == 200 and "No earlier report" in page.content.decode()
    pdf = browser.get("/insights/situation/report.pdf", {"municipality": "564"}, **EN)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    snapshot = SituationSnapshot.objects.get()
    SituationSnapshot.objects.filter(pk=snapshot.pk).update(made_on=date(2026, 1, 1))
    same_age(worker, 5, 520, date(2026, 2, 5))
    services.refresh_all()
    page = browser.get("/insights/situation/", {"municipality": "564"}, **EN)
    assert page.context["report"].total_change == 5
    workbook = browser.get("/insights/situation/report.xlsx", {"municipality": "564"}, **EN)
    sheet = load_workbook(io.BytesIO(workbook.content))["Age group"]
    assert list(sheet.iter_rows(values_only=True))[-1][-1] == 5


def test_a_personal_worker_and_another_organisations_manager_are_refused(worker, manager, espoo):
    make_case(by=worker)
    services.refresh_all()
    assert client_as(worker).get("/insights/situation/").status_code in (403, 404)
    theirs = make_membership(unit=make_unit(organisation=espoo), role=Role.MANAGER)
    assert client_as(theirs).get("/insights/situation/", {"municipality": "564"}).status_code == 404
    assert client_as(theirs).get("/insights/situation/report.pdf", {"municipality": "564"}).status_code == 404
    refusals = AuditEvent.objects.filter(action="permission.refused", membership=theirs)
    assert [event.details["action"] for event in refusals] == ["insights.situation"] * 2
    assert not AuditEvent.objects.filter(action__startswith="insights.", membership=theirs).exists()
