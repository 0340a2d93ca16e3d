"""Every plan page: the personal worker opens and uses them; a team member reads the agreed plan but
cannot edit it (403); another organisation, a manager, and another organisation's team member without
the client's consent get 404, audited; nothing refused changes anything."""

from __future__ import annotations

import pytest

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.plans import services
from polku.plans.models import Goal, PlanAction, PlanReview, PlanVersion, ServicePlan
from tests.conftest import client_as
from tests.plans.plan.conftest import EN, agreed_plan, days_ago, today


class Pages:
    """A plan agreed with two goals, one review, and a new draft (version 2) with its goal and action."""

    def __init__(self, case, worker) -> None:
        self.case = case
        self.plan = agreed_plan(case)
        self.agreed = self.plan.versions.get()
        goals = list(self.agreed.goals.all())
        self.review = services.record_review(
            plan=self.plan, by=worker, held_on=days_ago(1), levels={g.pk: 0 for g in goals}, decision="revise"
        )
        self.draft = services.start_revision(plan=self.plan, by=worker)
        self.goal = self.draft.goals.first()
        self.action = self.goal.actions.first()

    def read(self) -> list[str]:
        """Pages a reader of the plan opens."""
        return [
            f"/cases/{self.case.public_id}/plan/",
            f"/plan-versions/{self.agreed.public_id}/",
            f"/plan-versions/{self.agreed.public_id}/plan.pdf",
            f"/plan-reviews/{self.review.public_id}/",
        ]

    def edit(self) -> list[str]:
        """Pages only the personal worker opens (GET)."""
        d = self.draft.public_id
        return [
            f"/plan-versions/{d}/",
            f"/plan-versions/{d}/changes/",
            f"/plan-versions/{d}/plan.pdf",
            f"/plan-versions/{d}/settings/",
            f"/plan-versions/{d}/goals/new/",
            f"/plan-versions/{d}/agree/",
            f"/plan-goals/{self.goal.public_id}/edit/",
            f"/plan-goals/{self.goal.public_id}/remove/",
            f"/plan-goals/{self.goal.public_id}/actions/new/",
            f"/plan-actions/{self.action.public_id}/edit/",
            f"/plan-actions/{self.action.public_id}/remove/",
            f"/service-plans/{self.plan.public_id}/reviews/new/",
        ]

    def posts(self) -> list[str]:
        d = self.draft.public_id
        return [
            f"/cases/{self.case.public_id}/plan/start/",
            f"/service-plans/{self.plan.public_id}/revise/",
            f"/plan-versions/{d}/settings/",
            f"/plan-versions/{d}/goals/new/",
            f"/plan-versions/{d}/agree/",
            f"/plan-goals/{self.goal.public_id}/edit/",
            f"/plan-goals/{self.goal.public_id}/remove/",
            f"/plan-goals/{self.goal.public_id}/actions/new/",
            f"/plan-actions/{self.action.public_id}/edit/",
            f"/plan-actions/{self.action.public_id}/remove/",
            f"/service-plans/{self.plan.public_id}/reviews/new/",
        ]


def stored() -> dict[str, object]:
    return {
        "plans": ServicePlan.objects.count(),
        "versions": list(PlanVersion.objects.order_by("id").values_list("id", "status", "summary")),
        "goals": list(Goal.objects.order_by("id").values_list("id", "text")),
        "actions": list(PlanAction.objects.order_by("id").values_list("id", "what")),
        "reviews": PlanReview.objects.count(),
    }


POST_BODY = {
    "confirm": "yes",
    "summary": "x",
    "review_interval_weeks": "4",
    "text": "x",
    "what": "x",
    "responsible": "client",
    "agreed_on": "2026-01-01",
    "method": "phone",
    "decision": "continue",
}


@pytest.fixture
def pages(case, worker):
    return Pages(case, worker)


def test_the_personal_worker_opens_every_page(worker, pages):
    browser = client_as(worker)
    for url in pages.read() + pages.edit():
        assert browser.get(url, **EN).status_code == 200, url


def test_a_team_member_reads_the_agreed_plan_but_cannot_edit(team_colleague, pages):
    browser = client_as(team_colleague)
    before = stored()

    for url in pages.read():
        assert browser.get(url, **EN).status_code == 200, url
    for url in pages.edit():
        assert browser.get(url, **EN).status_code in (403, 404), url
    for url in pages.posts():
        assert browser.post(url, POST_BODY).status_code in (403, 404), url

    assert stored() == before
    assert AuditEvent.objects.filter(action="permission.refused", membership=team_colleague).count() == len(
        pages.edit()
    ) + len(pages.posts())
    page = browser.get(pages.read()[0], **EN).content.decode()
    assert "Record a review" not in page and "Change the plan" not in page and "Draft" not in page


@pytest.mark.parametrize("who", ["outsider", "manager"])
def test_another_organisation_and_a_manager_get_404_audited(who, request, pages):
    member = request.getfixturevalue(who)
    browser = client_as(member)
    before = stored()

    for url in pages.read() + pages.edit():
        assert browser.get(url, **EN).status_code == 404, url
    for url in pages.posts():
        assert browser.post(url, POST_BODY).status_code == 404, url

    assert stored() == before
    refused = AuditEvent.objects.filter(action="permission.refused", membership=member)
    assert refused.count() == len(pages.read() + pages.edit() + pages.posts())


def test_another_organisations_team_member_sees_the_plan_only_under_consent(
    worker, outsider, oulu, espoo, pages
):
    client_services.add_team_member(case=pages.case, member=outsider, by=worker, started_on=days_ago(1))
    browser = client_as(outsider)

    for url in pages.read():
        assert browser.get(url, **EN).status_code == 404, url
    overview = browser.get(f"/clients/{pages.case.client.public_id}/", **EN)
    assert 'data-testid="plan-progress"' not in overview.content.decode()

    client_services.record_consent(
        client=pages.case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Yhteinen suunnitelma",
        valid_from=today(),
        method="written",
    )
    for url in pages.read():
        assert browser.get(url, **EN).status_code == 200, url
    for url in pages.edit():
        assert browser.get(url, **EN).status_code in (403, 404), url
