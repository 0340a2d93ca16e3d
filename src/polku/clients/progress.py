"""A case's status follows the work done in it: the one table of which work moves a case to which
status, and `advance_case`, which the services causing that work call in their own transaction.

A case only moves forward (in the order of `CaseStatus`), never backward, and a closed case is left as it
is; the personal worker can still set any status by hand (`services.change_status`). Each move is a
status history row with the actor and its cause, an audit event and a timeline entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership
from polku.audit import services as audit
from polku.clients import timeline
from polku.clients.models import Case, CaseStatus, CaseStatusChange
from polku.core import story_time

# The path a case takes (ARCHITECTURE.md), in order; closing is not a step forward but an outcome.
ORDER = [status for status in CaseStatus.values if status != CaseStatus.CLOSED]


@dataclass(frozen=True)
class Cause:
    """Work that moves a case on: to which status, and how the history names it."""

    key: str
    status: str
    label: Any


CAUSES = {
    cause.key: cause
    for cause in (
        Cause("assessment.started", CaseStatus.ASSESSMENT, _("an assessment was started")),
        Cause("assessment.concluded", CaseStatus.PLANNING, _("the assessment was concluded")),
        # An agreed plan ends planning: its services are what the case does next.
        Cause("plan.agreed", CaseStatus.ACTIVE_SERVICES, _("the service plan was agreed")),
        Cause("referral.started", CaseStatus.ACTIVE_SERVICES, _("a referred service started")),
        Cause("placement.started", CaseStatus.ACTIVE_SERVICES, _("a work placement started")),
    )
}


def cause_label(key: str) -> str:
    cause = CAUSES.get(key)
    return str(cause.label) if cause else key


def is_ahead(status: str, of: str) -> bool:
    """Whether `status` comes later on the path than `of` (a status off the path never does)."""
    if status not in ORDER or of not in ORDER:
        return False
    return ORDER.index(status) > ORDER.index(of)


def status_moment(case: Case) -> datetime:
    """When a status change made now happened: the clock's time (`core.story_time`), never before the
    case's previous change, so a case's history stays in order also when the demo tells each app's part
    of a story in turn."""
    return max(story_time.now(), case.status_changed_at)


def advance_case(case: Case, *, cause: str, by: Membership) -> bool:
    """Move the case to the status `cause` leads to, if that is ahead of where it stands; returns whether
    it moved. Call it inside the causing service's transaction, after that service has checked `by`'s
    permission for the work itself: the actor need not manage the case (a provider's nurse starting a
    referred service moves the case of another organisation)."""
    to = CAUSES[cause].status
    locked = Case.objects.select_for_update().select_related("client", "unit__organisation").get(pk=case.pk)
    if locked.closed_on is not None or not is_ahead(to, locked.status):
        return False
    previous, now = locked.status, status_moment(locked)
    CaseStatusChange.objects.create(
        case=locked, status=to, previous_status=previous, at=now, by=by, cause=cause
    )
    locked.status, locked.status_changed_at = to, now
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    case.status, case.status_changed_at = to, now
    # Case administration: shown to the case's organisation and team, whoever's work moved it.
    timeline.add(
        locked.client,
        "case.status_advanced",
        by=by,
        case=locked,
        obj=locked,
        params={"status": to, "cause": cause},
        organisation=locked.unit.organisation,
    )
    audit.record(by, "case.status", locked, client=locked.client, details={"status": to, "cause": cause})
    return True
