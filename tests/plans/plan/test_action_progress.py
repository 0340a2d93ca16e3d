"""Marking an action of the agreed plan done or in progress needs no new version agreed with the client:
progress records (a history per action, by its key) on agreed versions, the current status on the plan
page and in the PDF, a small form for those who edit the plan; the agreed version stays as agreed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from polku.audit.models import AuditEvent
from polku.clients import timeline
from polku.plans import services
from polku.plans.models import ActionProgress, PlanAction, PlanVersion
from tests.conftest import client_as

from .conftest import EN, agreed_plan, days_ago, draft_with_goals, text, today


@pytest.fixture
def agreed(case):
    plan = agreed_plan(case, on=days_ago(10))
    return plan.versions.get(status="agreed")


def url(action) -> str:
    return f"/plan-actions/{action.public_id}/progress/"


def test_the_worker_marks_an_action_done_and_the_plan_shows_it(case, worker, agreed):
    action = PlanAction.objects.filter(goal__version=agreed).first()
    browser = client_as(worker)
    plan_page = browser.get(f"/cases/{case.public_id}/plan/", **EN)
    assert url(action) in plan_page.content.decode()

    form = browser.get(url(action), **EN)
    assert form.status_code == 200
    assert AuditEvent.objects.filter(action="plan.view", details={"page": "action_progress"}).exists()

    response = browser.post(url(action), {"status": "in_progress", "on": days_ago(3).strftime("%d.%m.%Y")})
    assert response.status_code == 302
    done_on = days_ago(1)
    browser.post(
        url(action), {"status": "done", "on": done_on.strftime("%d.%m.%Y"), "note": "Kurssi suoritettu"}
    )

    history = list(ActionProgress.objects.filter(action_key=action.key).values_list("status", flat=True))
    assert history == ["in_progress", "done"]
    shown = text(browser.get(f"/cases/{case.public_id}/plan/", **EN))
    assert "Done" in shown and "Kurssi suoritettu" in shown
    # The agreed version's own text and status stay as agreed; no new version.
    action = PlanAction.objects.get(pk=action.pk)
    assert action.status == "planned"
    assert PlanVersion.objects.filter(plan=agreed.plan).count() == 1
    assert AuditEvent.objects.filter(action="plan.action.progress", membership=worker).count() == 2
    entry = next(
        e for e in timeline.for_client(case.client, viewer=worker) if e.kind == "plan.action_progress"
    )
    assert entry.register == agreed.plan.register

    pdf = browser.get(f"/plan-versions/{agreed.public_id}/plan.pdf", **EN)
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    # The PDF is in the client's language (Finnish): the status column shows the date of the status.
    assert f"{done_on.day}.{done_on.month}.{done_on.year}" in printed


def test_bad_input_is_refused_and_kept(case, worker, agreed):
    action = PlanAction.objects.filter(goal__version=agreed).first()
    future = today() + timedelta(days=2)

    response = client_as(worker).post(
        url(action), {"status": "done", "on": future.isoformat(), "note": "Muistiinpano"}, **EN
    )
    assert response.status_code == 400
    page = text(response)
    assert "The date cannot be in the future." in page
    assert "Muistiinpano" in response.content.decode()
    assert not ActionProgress.objects.exists()


def test_a_drafts_action_has_no_progress_records(case, worker):
    draft = draft_with_goals(case)
    action = PlanAction.objects.filter(goal__version=draft).first()
    assert client_as(worker).get(url(action), **EN).status_code == 404
    with pytest.raises(ValidationError):
        services.record_action_progress(action=action, by=worker, status="done")


def test_a_progress_record_never_changes(case, worker, agreed):
    action = PlanAction.objects.filter(goal__version=agreed).first()
    progress = services.record_action_progress(action=action, by=worker, status="done")
    progress.status = "cancelled"
    with pytest.raises(ValidationError):
        progress.save()


def test_a_team_member_who_only_reads_is_refused_and_another_organisation_gets_404(
    case, agreed, team_colleague, outsider
):
    action = PlanAction.objects.filter(goal__version=agreed).first()
    assert client_as(team_colleague).get(url(action), **EN).status_code == 403
    assert (
        client_as(team_colleague)
        .post(url(action), {"status": "done", "on": today().strftime("%d.%m.%Y")})
        .status_code
        == 403
    )
    assert client_as(outsider).get(url(action), **EN).status_code == 404
    assert not ActionProgress.objects.exists()
    assert AuditEvent.objects.filter(action="permission.refused", membership=outsider).exists()
