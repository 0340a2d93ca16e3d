"""Targets per organisation and period: set by managers, shown with progress and the pace needed."""

from datetime import date

from polku.accounts.models import Role
from polku.audit.models import AuditEvent
from polku.insights import indicators, periods, scopes
from polku.insights.models import Target
from tests.conftest import client_as
from tests.factories import make_membership, make_unit

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# The session and membership, the targets; the page writes no audit event (targets are no client data).
TARGET_LIST_QUERIES = 3
NEW = {"indicator": "cases_opened", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "value": "100"}


def test_the_manager_sets_a_target_and_sees_its_progress(manager, cases, django_capture_on_commit_callbacks):
    browser = client_as(manager)
    assert browser.get("/insights/targets/", **EN).status_code == 200
    response = browser.post("/insights/targets/", NEW, **EN)
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.organisation, target.value, target.set_by) == (manager.unit.organisation, 100, manager)
    assert AuditEvent.objects.filter(action="insights.target_save").exists()
    progress = indicators.targets(
        scopes.chosen(manager, "organisation"), periods.year(2026), date(2026, 7, 1)
    )
    assert progress[0].done.text == "7"
    assert progress[0].share == 0.07
    assert round(progress[0].pace_per_month, 1) == round(93 / (184 / 30.44), 1)
    page = browser.get("/insights/", {"period": "year", "year": "2026"}, **EN)
    assert "Cases opened (" in page.content.decode()


def test_a_target_with_an_end_before_its_start_is_refused_and_nothing_is_lost(manager):
    response = client_as(manager).post("/insights/targets/", {**NEW, "ends_on": "2025-01-01"}, **EN)
    assert response.status_code == 400
    assert "The end date cannot be before the start date." in response.content.decode()
    assert 'value="100"' in response.content.decode()
    assert not Target.objects.exists()


def test_a_personal_worker_cannot_set_targets(worker):
    assert client_as(worker).post("/insights/targets/", NEW).status_code in (403, 404)
    assert not Target.objects.exists()


def test_another_organisations_manager_cannot_remove_a_target(manager, espoo):
    client_as(manager).post("/insights/targets/", NEW)
    target = Target.objects.get()
    theirs = make_membership(unit=make_unit(organisation=espoo), role=Role.MANAGER)
    assert client_as(theirs).post(f"/insights/targets/{target.pk}/remove/").status_code == 404
    assert Target.objects.exists()
    refused = AuditEvent.objects.get(action="permission.refused", membership=theirs)
    assert refused.details["action"] == "insights.target"
    assert client_as(theirs).get("/insights/targets/").context["targets"] == []


def test_removing_a_target_asks_first(manager):
    browser = client_as(manager)
    browser.post("/insights/targets/", NEW)
    target = Target.objects.get()
    confirm = browser.get(f"/insights/targets/{target.pk}/remove/", **EN)
    assert "Remove the target?" in confirm.content.decode() and Target.objects.exists()
    assert browser.post(f"/insights/targets/{target.pk}/remove/").status_code == 302
    assert not Target.objects.exists()


def test_the_target_list_runs_the_same_queries_for_any_number_of_targets(manager, django_assert_num_queries):
    browser = client_as(manager)
    browser.post("/insights/targets/", NEW)
    browser.get("/insights/targets/")
    with django_assert_num_queries(TARGET_LIST_QUERIES):
        assert len(browser.get("/insights/targets/").context["targets"]) == 1
    for indicator in ("plans", "referrals", "cases_closed"):
        browser.post("/insights/targets/", {**NEW, "indicator": indicator})
    with django_assert_num_queries(TARGET_LIST_QUERIES):
        assert len(browser.get("/insights/targets/").context["targets"]) == 4
