"""What service plan work writes to the client timeline and the access report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.audit.labels import AuditLabel
from polku.clients.timeline import TimelineKind
from polku.plans.models import ActionStatus, AgreementMethod, ReviewDecision


def _choice(choices: Any, field: str) -> Any:
    def describe(params: dict[str, Any]) -> dict[str, Any]:
        try:
            return {**params, field: str(choices(params.get(field, "")).label)}
        except ValueError:
            return params

    return describe


# The client timeline's kinds of this app (its AppConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind(
        "plan.agreed",
        _("Service plan version %(version)s agreed (%(method)s), %(goals)s goal(s)"),
        _choice(AgreementMethod, "method"),
    ),
    TimelineKind(
        "plan.reviewed",
        _("Service plan reviewed: GAS T-score %(t_score)s, decision: %(decision)s"),
        _choice(ReviewDecision, "decision"),
    ),
    TimelineKind("plan.goal_attained", _("Goal attained: %(goal)s")),
    TimelineKind(
        "plan.action_progress", _("Plan action %(action)s: %(status)s"), _choice(ActionStatus, "status")
    ),
)

# How the client's access report names this app's actions (its AppConfig.ready contributes them).
AUDIT_LABELS = (
    AuditLabel("plan.view", _("Viewed the service plan")),
    AuditLabel("plan.start", _("Started a service plan")),
    AuditLabel("plan.edit", _("Edited the service plan draft")),
    AuditLabel("plan.goal.save", _("Saved a goal of the service plan draft")),
    AuditLabel("plan.goal.remove", _("Removed a goal from the service plan draft")),
    AuditLabel("plan.action.save", _("Saved an action of the service plan draft")),
    AuditLabel("plan.action.remove", _("Removed an action from the service plan draft")),
    AuditLabel(
        "plan.action.from_recommendation", _("Added a recommendation of the assessment to the service plan")
    ),
    AuditLabel("plan.agree", _("Recorded the agreement of a service plan")),
    AuditLabel("plan.ask_client", _("Asked the client to agree the plan in their own Polku")),
    AuditLabel("plan.revise", _("Started a new version of the service plan")),
    AuditLabel("plan.print", _("Printed the service plan")),
    AuditLabel("plan.review", _("Recorded a service plan review")),
    AuditLabel("plan.review.view", _("Viewed a service plan review")),
    AuditLabel("plan.action.progress", _("Recorded the progress of a service plan action")),
)
