"""The figures page: who may see which scope, what it shows, and its downloads."""

import io

from openpyxl import load_workbook

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from tests.conftest import client_as
from tests.factories import make_membership, make_unit
from tests.queries import AUDIT_EVENT

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# Session and membership, the scopes offered, the aggregate queries of the figures and the targets
# (over whole months the roll-ups: the funnel, sources, activity and outcomes, the open cases' GAS and
# IPS figures, the 90-day retention's partial month from the facts, referrals, the closed loop,
# placements and repeated measures), the feedback.
DASHBOARD_QUERIES = 26
YEAR_2026 = {"period": "year", "year": "2026"}


def test_the_manager_lands_on_the_figures(manager):
    response = client_as(manager).get("/", **EN)
    assert response.status_code == 302 and response["Location"] == "/insights/"


def test_the_manager_sees_the_organisations_funnel_with_small_counts_hidden(manager, cases):
    response = client_as(manager).get("/insights/", YEAR_2026, **EN)
    assert response.status_code == 200
    funnel = {str(row.label): row for row in response.context["figures"]["funnel"]}
    assert funnel["Identified (case opened)"].cell.text == "7"
    assert funnel["First contact"].cell.text == "5"
    assert funnel["First contact"].share == 5 / 7
    assert funnel["First plan agreed"].cell.text == "0"
    assert funnel["Job start"].cell.text == "0" and funnel["Job start"].previous is not None
    assert "not yet measured" not in response.content.decode()
    assert response.context["figures"]["jobs"]["starts"].text == "0"
    assert AuditEvent.objects.filter(action="insights.view", membership=manager).count() == 1


def test_the_previous_year_shows_one_case_as_under_the_threshold(manager, cases):
    response = client_as(manager).get("/insights/", {"period": "year", "year": "2025"}, **EN)
    funnel = response.context["figures"]["funnel"]
    assert funnel[0].cell.text == "< 5"
    assert funnel[0].cell.shown is None


def test_a_personal_worker_sees_their_own_caseload_only(worker, cases, oulu):
    other = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
    response = client_as(other).get("/insights/", YEAR_2026, **EN)
    assert response.status_code == 200
    assert [key for key, _label in response.context["form"].fields["scope"].choices] == ["caseload"]
    assert response.context["figures"]["funnel"][0].cell.value == 0
    mine = client_as(worker).get("/insights/", YEAR_2026, **EN)
    assert mine.context["figures"]["funnel"][0].cell.value == 7


def test_a_worker_cannot_choose_the_organisation_scope(worker, cases):
    response = client_as(worker).get("/insights/", {**YEAR_2026, "scope": "organisation"}, **EN)
    assert response.status_code == 404
    assert AuditEvent.objects.get(action="permission.refused", membership=worker).details["action"] == (
        "insights.view"
    )


def test_a_nurse_is_refused(colleague):
    assert client_as(colleague).get("/insights/", **EN).status_code in (403, 404)


def test_another_organisations_manager_sees_none_of_its_units(manager, worker, cases, espoo):
    theirs = make_membership(unit=make_unit(organisation=espoo), role=Role.MANAGER)
    unit_scope = f"unit:{worker.unit.public_id}"
    response = client_as(theirs).get("/insights/", {**YEAR_2026, "scope": unit_scope}, **EN)
    assert response.status_code == 404
    refused = AuditEvent.objects.get(action="permission.refused", membership=theirs)
    assert refused.details["action"] == "insights.view"
    assert not AuditEvent.objects.filter(action="insights.view", membership=theirs).exists()
    download = client_as(theirs).get("/insights/download/funnel.csv", {**YEAR_2026, "scope": unit_scope})
    assert download.status_code == 404
    assert not AuditEvent.objects.filter(action="insights.download").exists()
    own = client_as(theirs).get("/insights/", YEAR_2026, **EN)
    assert own.context["figures"]["funnel"][0].cell.value == 0
    national = client_as(theirs).get("/insights/", {**YEAR_2026, "scope": "all"}, **EN)
    assert national.context["figures"]["funnel"][0].cell.text == "7"


def test_the_manager_downloads_the_funnel_as_xlsx_with_small_counts_hidden(manager, cases):
    response = client_as(manager).get(
        "/insights/download/funnel.xlsx", {"period": "year", "year": "2025"}, **EN
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Step"
    assert rows[2][:2] == ("Identified (case opened)", "< 5")
    assert AuditEvent.objects.filter(action="insights.download").count() == 1


def test_a_download_of_an_unknown_table_or_format_is_not_found(manager, cases):
    browser = client_as(manager)
    assert browser.get("/insights/download/people.csv", YEAR_2026).status_code == 404
    assert browser.get("/insights/download/funnel.json", YEAR_2026).status_code == 404


def test_every_definition_has_a_page(manager):
    from polku.insights.definitions import DEFINITIONS

    browser = client_as(manager)
    for definition in DEFINITIONS:
        response = browser.get(f"/insights/definitions/{definition.key}/", **EN)
        assert response.status_code == 200
    assert browser.get("/insights/definitions/nothing/").status_code == 404


def test_the_dashboard_runs_a_fixed_number_of_queries(manager, cases, django_assert_num_queries, worker):
    from polku.insights import services
    from tests.factories import make_case

    browser = client_as(manager)
    browser.get("/insights/", YEAR_2026)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        browser.get("/insights/", YEAR_2026)
    more = [make_case(by=worker) for _ in range(5)]
    services.refresh([case.pk for case in more])
    with CaptureQueriesContext(connection) as many:
        browser.get("/insights/", YEAR_2026)
    assert len(few) == len(many) == DASHBOARD_QUERIES + AUDIT_EVENT


def test_staff_who_do_not_manage_or_own_cases_cannot_read_definitions_or_download(colleague):
    browser = client_as(colleague)
    assert browser.get("/insights/definitions/").status_code in (403, 404)
    assert browser.get("/insights/definitions/funnel/").status_code in (403, 404)
    assert browser.get("/insights/download/funnel.csv", YEAR_2026).status_code in (403, 404)


def test_a_worker_downloads_only_their_own_caseloads_figures(worker, cases):
    other = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
    response = client_as(other).get("/insights/download/funnel.csv", YEAR_2026, **EN)
    assert response.status_code == 200
    assert "Identified (case opened),0" in response.content.decode()
    refused = client_as(other).get("/insights/download/funnel.csv", {**YEAR_2026, "scope": "organisation"})
    assert refused.status_code == 404
    assert AuditEvent.objects.filter(action="permission.refused", membership=other).exists()


def test_a_period_with_an_error_keeps_the_managers_links_and_says_what_is_wrong(manager, worker):
    """The form's error page is the dashboard without figures: the manager's way to targets, the situation
    report, costs and the extract stays; a worker's error page offers none of them."""
    for path in ("/insights/", "/insights/download/funnel.xlsx"):
        response = client_as(manager).get(path, {"period": "year", "year": "not a year"}, **EN)
        assert response.status_code == 400
        page = response.content.decode()
        for link in (
            "/insights/targets/",
            "/insights/situation/",
            "/insights/costs/",
            "/insights/research-extract/",
        ):
            assert f'href="{link}"' in page, (path, link)
        assert "figures" not in response.context
        assert response.context["form"].errors
    refused = client_as(worker).get("/insights/", {"period": "year", "year": "not a year"}, **EN)
    assert refused.status_code == 400 and 'href="/insights/targets/"' not in refused.content.decode()
