"""What questionnaire work writes to the client timeline and to the access report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.audit.labels import AuditLabel
from polku.clients.timeline import TimelineKind
from polku.instruments.models import translated


def _texts(*fields: str) -> Any:
    """Texts stored in all three languages in the entry's params, shown in the reader's language."""

    def describe(params: dict[str, Any]) -> dict[str, Any]:
        return {
            **params,
            **{
                f: translated(params.get(f)) if isinstance(params.get(f), dict) else params.get(f, "")
                for f in fields
            },
        }

    return describe


# The client timeline's kinds of this app (its AppConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind(
        "questionnaire.completed",
        _("%(title)s answered: %(score)s points, %(band)s"),
        _texts("title", "band"),
    ),
    TimelineKind(
        "questionnaire.corrected",
        _("%(title)s corrected: %(score)s points, %(band)s"),
        _texts("title", "band"),
    ),
    TimelineKind("safety_alert.raised", _("Safety alert: %(title)s"), _texts("title")),
    TimelineKind("safety_alert.acknowledged", _("Safety alert acknowledged: %(title)s"), _texts("title")),
)

# How the client's access report names this app's actions (its AppConfig.ready contributes them).
AUDIT_LABELS = (
    AuditLabel("response.view", _("Viewed questionnaire answers")),
    AuditLabel("response.save_draft", _("Saved unfinished questionnaire answers")),
    AuditLabel("response.complete", _("Recorded questionnaire answers")),
    AuditLabel("response.start_correction", _("Started correcting questionnaire answers")),
    AuditLabel("response.export", _("Exported questionnaire answers")),
    AuditLabel("response.list", _("Viewed the questionnaires of a case")),
    AuditLabel("safety_alert.raise", _("A safety alert was raised")),
    AuditLabel("safety_alert.acknowledge", _("Acknowledged a safety alert")),
    AuditLabel("safety_alert.view", _("Viewed a safety alert")),
)
