"""What placements add to the client pages (contributed in apps.py): the client overview's placement
panel and the caseload's flag for a placement that needs attention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import access
from polku.clients.models import Case, Client
from polku.core import sql
from polku.placements import selectors
from polku.placements.models import FeedbackStage

PANEL_SIZE = 10


def placements(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The client overview's placement panel: the placements the viewer may read, whether the host has
    given feedback, and whether the viewer may start one in the current case (one query; the team
    membership it asks about is the one the overview has already read)."""
    if not access.works_with_clients(viewer):
        return None
    # The newest PANEL_SIZE; one more read tells whether to link to the client's placements page.
    newest = selectors.newest_placements(client, viewer=viewer, count=PANEL_SIZE + 1)
    return {
        "placements": newest[:PANEL_SIZE],
        "more": len(newest) > PANEL_SIZE,
        "client": client,
        "current": current,
        "can_create": bool(current and permissions.can(viewer, "placement.create", current)),
    }


FEEDBACK_OVERDUE_AFTER_DAYS = 14


def flagged_cases(viewer: Membership, cases: list[Case]) -> set[int]:
    """Which of the caseload page's cases have a placement needing attention, in one query: one that
    ran the whole of last week without any attendance recorded for it, or one that ended more than
    two weeks ago (and less than three months ago) without the host's final feedback."""
    if not cases:
        return set()
    today = timezone.localdate()
    last_monday = selectors.week_of(today) - timedelta(days=7)
    last_sunday = last_monday + timedelta(days=6)
    ended_before = today - timedelta(days=FEEDBACK_OVERDUE_AFTER_DAYS)
    ended_from = today - timedelta(days=90)
    # Written as SQL (core.sql): every caseload request asks it.
    listed, case_ids = sql.in_list(case.pk for case in cases)
    rows = sql.rows(
        f"""
        SELECT p.client_id, p.organisation_id, p.register, p.case_id
        FROM placements_placement p
        WHERE p.case_id IN {listed}
            AND (
                p.starts_on <= %s AND p.ends_on >= %s
                    AND (p.interrupted_on IS NULL OR p.interrupted_on > %s)
                    AND NOT EXISTS (
                        SELECT 1 FROM placements_attendance a
                        WHERE a.placement_id = p.id AND a."on" >= %s AND a."on" <= %s
                    )
                OR p.interrupted_on IS NULL AND p.ends_on < %s AND p.ends_on >= %s
                    AND NOT EXISTS (
                        SELECT 1 FROM placements_feedback f WHERE f.placement_id = p.id AND f.stage = %s
                    )
            )
        """,  # noqa: S608 - only placeholders and fixed SQL are formatted in
        [
            *case_ids,
            last_monday,
            last_sunday,
            last_sunday,
            last_monday,
            last_sunday,
            ended_before,
            ended_from,
            FeedbackStage.FINAL.value,
        ],
    )
    return {row[3] for row in access.disclosed_rows(viewer, rows)}
