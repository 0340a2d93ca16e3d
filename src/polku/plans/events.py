"""What service plan work writes to the client timeline and how the access report names its actions
(registered when this module is imported, from apps.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.clients import timeline
from polku.clients.templatetags.polku_clients import ACTION_LABELS
from polku.plans.models.plan import ActionStatus, AgreementMethod, ReviewDecision


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
