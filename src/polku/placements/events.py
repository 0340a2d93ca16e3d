"""What placement work writes to the client timeline and how the access report names its actions."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.audit.labels import AuditLabel
from polku.clients.timeline import TimelineKind
from polku.placements.models import FeedbackStage, PlacementKind


def _labelled(params: dict[str, Any]) -> dict[str, Any]:
    described = dict(params)
    for field, choices in (("kind", PlacementKind), ("stage", FeedbackStage)):
        if field in params:
            with suppress(ValueError):
                described[field] = str(choices(params[field]).label)
    return described


# The client timeline's kinds of this app (its AppConfig.ready contributes them).
TIMELINE_KINDS = (
    TimelineKind("placement.created", _("%(kind)s agreed at %(host)s"), _labelled),
    TimelineKind("placement.interrupted", _("%(kind)s interrupted"), _labelled),
    TimelineKind("placement.feedback_requested", _("%(stage)s requested from the host"), _labelled),
    TimelineKind(
        "placement.feedback_received", _("%(stage)s received from %(host)s (%(given_by)s)"), _labelled
    ),
)

# How the client's access report names this app's actions (its AppConfig.ready contributes them).
AUDIT_LABELS = (
    AuditLabel("placement.view", _("Viewed a work placement")),
    AuditLabel("placement.create", _("Recorded a work placement")),
    AuditLabel("placement.update", _("Changed a work placement")),
    AuditLabel("placement.interrupt", _("Interrupted a work placement")),
    AuditLabel("placement.attendance", _("Recorded attendance at a work placement")),
    AuditLabel("placement.attendance.view", _("Viewed attendance at a work placement")),
    AuditLabel("placement.hosted_list", _("Viewed the placements a unit hosts")),
    AuditLabel("placement.feedback_request", _("Sent a feedback link to a work placement host")),
    AuditLabel("placement.feedback_form.view", _("The host opened the feedback form")),
    AuditLabel("placement.feedback_submit", _("The host gave feedback on a work placement")),
)
