"""What placement work writes to the client timeline and how the access report names its actions."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.clients import timeline
from polku.clients.templatetags.polku_clients import ACTION_LABELS
from polku.placements.models import FeedbackStage, PlacementKind


def _labelled(params: dict[str, Any]) -> dict[str, Any]:
    described = dict(params)
    for field, choices in (("kind", PlacementKind), ("stage", FeedbackStage)):
        if field in params:
            with suppress(ValueError):
                described[field] = str(choices(params[field]).label)
    return described


timeline.register_kind("placement.created", _("%(kind)s agreed at %(host)s"), _labelled)
timeline.register_kind("placement.interrupted", _("%(kind)s interrupted"), _labelled)
timeline.register_kind("placement.feedback_requested", _("%(stage)s requested from the host"), _labelled)
timeline.register_kind(
    "placement.feedback_received", _("%(stage)s received from %(host)s (%(given_by)s)"), _labelled
)

ACTION_LABELS.update(
    {
        "placement.view": _("Viewed a work placement"),
        "placement.create": _("Recorded a work placement"),
        "placement.update": _("Changed a work placement"),
        "placement.interrupt": _("Interrupted a work placement"),
        "placement.attendance": _("Recorded attendance at a work placement"),
        "placement.attendance.view": _("Viewed attendance at a work placement"),
        "placement.hosted_list": _("Viewed the placements a unit hosts"),
        "placement.feedback_request": _("Sent a feedback link to a work placement host"),
        "placement.feedback_form.view": _("The host opened the feedback form"),
        "placement.feedback_submit": _("The host gave feedback on a work placement"),
    }
)
