"""What IPS work writes to the client timeline and how the access report names its actions."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.audit.labels import AuditLabel
from polku.clients.timeline import TimelineKind
from polku.employment.models import EndReason, Phase


def _labelled(params: dict[str, Any]) -> dict[str, Any]:
    described = dict(params)
    for field, choices in (("phase", Phase), ("reason", EndReason)):
        if field in params:
            with suppress(ValueError):
                described[field] = str(choices(params[field]).label)
    return described


TIMELINE_KINDS = (
    TimelineKind("ips.entered", _("Entered supported employment (IPS)"), _labelled),
    TimelineKind("ips.phase", _("IPS phase: %(phase)s"), _labelled),
    TimelineKind("ips.job_started", _("Started work: %(title)s at %(employer)s"), _labelled),
    TimelineKind("ips.job_ended", _("Job ended: %(title)s (%(reason)s)"), _labelled),
)

AUDIT_LABELS = (
    AuditLabel("ips.enter", _("Took the client into supported employment (IPS)")),
    AuditLabel("ips.view", _("Viewed the client's supported employment (IPS)")),
    AuditLabel("ips.phase", _("Changed the IPS phase")),
    AuditLabel("ips.caseload", _("Viewed an IPS caseload")),
    AuditLabel("ips.profile", _("Changed the career profile")),
    AuditLabel("ips.profile.view", _("Viewed the career profile")),
    AuditLabel("ips.counselling", _("Recorded benefits counselling")),
    AuditLabel("ips.employer_contact", _("Recorded an employer contact on the client's behalf")),
    AuditLabel("ips.matches", _("Viewed job openings matched to the client")),
    AuditLabel("ips.discussion", _("Recorded a job opening discussed with the client")),
    AuditLabel("ips.job_start", _("Recorded a job start")),
    AuditLabel("ips.job_end", _("Recorded a job end")),
    AuditLabel("ips.follow_along", _("Recorded a follow-along contact")),
    AuditLabel("ips.opening_matches", _("Viewed job seekers matched to an opening")),
)
