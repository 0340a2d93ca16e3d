"""What questionnaire work writes to the client timeline and to the access report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.clients import timeline
from polku.clients.templatetags.polku_clients import ACTION_LABELS
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


timeline.register_kind(
    "questionnaire.completed", _("%(title)s answered: %(score)s points, %(band)s"), _texts("title", "band")
)
timeline.register_kind(
    "questionnaire.corrected", _("%(title)s corrected: %(score)s points, %(band)s"), _texts("title", "band")
)
timeline.register_kind("safety_alert.raised", _("Safety alert: %(title)s"), _texts("title"))
timeline.register_kind(
    "safety_alert.acknowledged", _("Safety alert acknowledged: %(title)s"), _texts("title")
)

ACTION_LABELS.update(
    {
        "response.view": _("Viewed questionnaire answers"),
        "response.save_draft": _("Saved unfinished questionnaire answers"),
        "response.complete": _("Recorded questionnaire answers"),
        "response.start_correction": _("Started correcting questionnaire answers"),
        "response.export": _("Exported questionnaire answers"),
        "response.list": _("Viewed the questionnaires of a case"),
        "safety_alert.raise": _("A safety alert was raised"),
        "safety_alert.acknowledge": _("Acknowledged a safety alert"),
        "safety_alert.view": _("Viewed a safety alert"),
    }
)
