"""What service plan work writes to the client timeline and the access report, and the client
overview's plan panel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import timeline
from polku.clients.models import Case, Client
from polku.clients.templatetags.polku_clients import ACTION_LABELS
from polku.plans.models.plan import ActionStatus, AgreementMethod, ReviewDecision
from polku.plans.selectors import plan as selectors


def _choice(choices: Any, field: str) -> Any:
    def describe(params: dict[str, Any]) -> dict[str, Any]:
        try:
            return {**params, field: str(choices(params.get(field, "")).label)}
        except ValueError:
            return params

    return describe


timeline.register_kind(
    "plan.agreed",
    _("Service plan version %(version)s agreed (%(method)s), %(goals)s goal(s)"),
    _choice(AgreementMethod, "method"),
)
timeline.register_kind(
    "plan.reviewed",
    _("Service plan reviewed: GAS T-score %(t_score)s, decision: %(decision)s"),
    _choice(ReviewDecision, "decision"),
)
timeline.register_kind("plan.goal_attained", _("Goal attained: %(goal)s"))
timeline.register_kind(
    "plan.action_progress",
    _("Plan action %(action)s: %(status)s"),
    _choice(ActionStatus, "status"),
)

ACTION_LABELS.update(
    {
        "plan.view": _("Viewed the service plan"),
        "plan.start": _("Started a service plan"),
        "plan.edit": _("Edited the service plan draft"),
        "plan.goal.save": _("Saved a goal of the service plan draft"),
        "plan.goal.remove": _("Removed a goal from the service plan draft"),
        "plan.action.save": _("Saved an action of the service plan draft"),
        "plan.action.remove": _("Removed an action from the service plan draft"),
        "plan.action.from_recommendation": _("Added a recommendation of the assessment to the service plan"),
        "plan.agree": _("Recorded the agreement of a service plan"),
        "plan.revise": _("Started a new version of the service plan"),
        "plan.print": _("Printed the service plan"),
        "plan.review": _("Recorded a service plan review"),
        "plan.review.view": _("Viewed a service plan review"),
        "plan.action.progress": _("Recorded the progress of a service plan action"),
    }
)


def overview_panel(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The plan panel on the client overview: progress over reviews when the viewer may read the plan,
    the way to start one when they may; nothing otherwise."""
    progress = selectors.plan_progress(client, current, viewer=viewer)
    can_edit = bool(current and current.is_open and permissions.can(viewer, "plan.edit", current))
    if progress is None and not can_edit:
        return None
    return {"progress": progress, "current": current, "can_edit": can_edit}
