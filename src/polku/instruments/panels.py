"""What the instruments app shows on the clients app's pages (clients.extensions): the safety alerts at
the top of the client overview, the questionnaire section with each instrument's scores over time, and
the safety alert flag on the caseload."""

from __future__ import annotations

from typing import Any

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, Client
from polku.instruments import selectors


def safety_alerts(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The alerts open in the viewer's teams' cases, each with its acknowledge button (one query)."""
    alerts = selectors.open_alerts(client, viewer=viewer)
    return {"alerts": alerts} if alerts else None


def questionnaires(client: Client, current: Case | None, viewer: Membership) -> dict[str, Any]:
    """Scores over time, and the way to fill in a questionnaire in the current case for whoever may
    record a contact there (one query; the team check is the one the page has already made)."""
    return {
        "overview": selectors.overview(client, viewer=viewer),
        "current": current,
        "can_fill_in": bool(current and permissions.can(viewer, "case.record_contact", current)),
    }


def safety_alert_cases(viewer: Membership, cases: list[Case]) -> set[int]:
    return selectors.open_alert_case_ids(viewer=viewer, cases=cases)
