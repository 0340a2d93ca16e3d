"""What work ability assessments write to the client timeline and the access report (the app's
AppConfig.ready contributes them)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from polku.assessments.choices import AssessmentConclusion, AssessmentKind, Domain
from polku.audit.labels import AuditLabel
from polku.clients.timeline import TimelineKind


def _choices(**fields: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def describe(params: dict[str, Any]) -> dict[str, Any]:
        described = dict(params)
        for field, choices in fields.items():
            with contextlib.suppress(ValueError):
                described[field] = str(choices(params.get(field, "")).label)
        return described

    return describe


# The client timeline's kinds of this app (its AppConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind(
        "assessment.started",
        gettext_lazy("Work ability assessment started: %(kind)s"),
        _choices(kind=AssessmentKind),
    ),
    TimelineKind(
        "assessment.finding", gettext_lazy("Assessment finding recorded: %(domain)s"), _choices(domain=Domain)
    ),
    TimelineKind("assessment.meeting", gettext_lazy("Assessment team meeting recorded")),
    TimelineKind(
        "assessment.concluded",
        gettext_lazy("Work ability assessment concluded: %(conclusion)s"),
        _choices(kind=AssessmentKind, conclusion=AssessmentConclusion),
    ),
    TimelineKind("assessment.addendum", gettext_lazy("Addendum to the work ability assessment")),
)

# How the client's access report names this app's actions (its AppConfig.ready contributes them).
AUDIT_LABELS = (
    AuditLabel("assessment.view", gettext_lazy("Viewed a work ability assessment")),
    AuditLabel("assessment.start", gettext_lazy("Started a work ability assessment")),
    AuditLabel("assessment.invite", gettext_lazy("Invited a team member to an assessment")),
    AuditLabel("assessment.finding", gettext_lazy("Recorded an assessment finding")),
    AuditLabel("assessment.meeting", gettext_lazy("Recorded an assessment team meeting")),
    AuditLabel("assessment.conclude", gettext_lazy("Concluded a work ability assessment")),
    AuditLabel("assessment.addendum", gettext_lazy("Wrote an addendum to an assessment")),
    AuditLabel("assessment.summary_pdf", gettext_lazy("Downloaded an assessment summary")),
)
