"""Every GET page that shows the client's plan records an audit read (review point 9): the draft's goal,
action, settings, agree and remove forms, the new review form, and the recommendation-to-plan page."""

from __future__ import annotations

import pytest

from polku.audit.models import AuditEvent
from polku.plans import services as plan_services
from tests.clients.conftest import EN
from tests.conftest import client_as

from .conftest import agreed_plan


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/plan-goals/{goal}/edit/", "goal_edit"),
        ("/plan-goals/{goal}/remove/", "goal_remove"),
        ("/plan-goals/{goal}/actions/new/", "action_new"),
        ("/plan-actions/{action}/edit/", "action_edit"),
        ("/plan-actions/{action}/remove/", "action_remove"),
        ("/plan-versions/{draft}/settings/", "draft_settings"),
        ("/plan-versions/{draft}/goals/new/", "goal_new"),
        ("/plan-versions/{draft}/agree/", "agree"),
        ("/service-plans/{plan}/reviews/new/", "review_new"),
    ],
)
def test_a_plan_form_page_records_the_read(case, worker, path, page):
    plan = agreed_plan(case)
    draft = plan_services.start_revision(plan=plan, by=worker)
    goal = draft.goals.first()
    action = goal.actions.first()
    url = path.format(
        goal=goal.public_id, action=action.public_id, draft=draft.public_id, plan=plan.public_id
    )
    browser = client_as(worker)
    before = AuditEvent.objects.order_by("pk").values_list("pk", flat=True).last()

    response = browser.get(url, **EN)

    assert response.status_code == 200
    event = AuditEvent.objects.get(pk__gt=before, action="plan.view")
    assert event.membership == worker
    assert event.client_id == case.client.public_id
    assert event.details == {"page": page}
