"""Who did something, as every page, history row, report and PDF names them: the person with their own
unit and organisation ("Niina Nurmi (Oulun terveysasema, Pohteen hyvinvointialue)"), never the
organisation whose record the change is. A provider's worker answering a referral of the city is named
with the county they work for; a host supervisor answering through an emailed link is named as such,
with their employer.

`actor_label` takes a membership; `label` takes the same parts as plain values, for the pages that
read their rows as values (the timeline page). Templates use the `actor` filter (`polku_clients`).

A row that names no membership was written by someone outside the staff: an outsider through a feedback
link (named in the row's values, `external`), or else the client themself in their own Polku (the
portal's services, and the client's questionnaire answers with the needs screened from them, are the
only other writers without a membership). `unnamed_actor` names them, so no history row, timeline entry,
export or PDF leaves its actor blank.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts.models import Membership
from polku.core import names

# The same words as the access report's basis "the client themself" (clients.audit_labels).
THE_CLIENT = gettext_lazy("The client themself")


def label(
    name: str,
    unit: str = "",
    organisation: str = "",
    *,
    via_feedback_link: bool = False,
) -> str:
    """The actor from plain values; empty when there is no one to name (a change made by Polku itself)."""
    where = ", ".join(part for part in (unit, organisation) if part)
    if via_feedback_link:
        name = _("%(name)s via feedback link") % {"name": name} if name else _("Via feedback link")
    if not name:
        return where
    return _("%(name)s (%(where)s)") % {"name": name, "where": where} if where else name


def actor_label(membership: Membership | None) -> str:
    """The membership's person with their own unit and organisation. Who they acted for, when not their
    own organisation, the page says next to it (a referral's "recorded for the provider")."""
    if membership is None:
        return ""
    unit = membership.unit
    return label(str(membership.user), unit.display_name, unit.organisation.display_name)


def external(
    name: str, unit: str, organisation: str, unit_sv: str = "", organisation_sv: str = ""
) -> dict[str, Any]:
    """What names someone outside Polku acting through a feedback link (no membership): stored as
    `actor` in a timeline entry's params or an audit event's details, and read by `external_label`. The
    unit and organisation keep their Swedish names beside the Finnish ones (`core.names.both`)."""
    return {
        "actor": {
            "name": name,
            **names.both("unit", unit, unit_sv),
            **names.both("organisation", organisation, organisation_sv),
            "via": "feedback_link",
        }
    }


def external_label(values: dict[str, Any]) -> str:
    actor = values.get("actor")
    if not isinstance(actor, dict):
        return ""
    actor = names.in_reader_language_params(actor)
    return label(
        str(actor.get("name", "")),
        str(actor.get("unit", "")),
        str(actor.get("organisation", "")),
        via_feedback_link=actor.get("via") == "feedback_link",
    )


def unnamed_actor(values: dict[str, Any] | None = None) -> str:
    """Who wrote a row without a membership: the outsider its values name, else the client themself."""
    return external_label(values or {}) or str(THE_CLIENT)


def actor_or_client(membership: Membership | None) -> str:
    """The actor of a history row whose `by` is empty only when the client acted in their own Polku (a
    support need flagged from the client's own answers)."""
    return actor_label(membership) if membership is not None else str(THE_CLIENT)


def event_actor(event: Any) -> str:
    """The person of an access report row (an `audit.AuditEvent`): the membership they acted in, else the
    user (before one was chosen, at login), else the outsider the event names (a host's feedback)."""
    if event.membership is not None:
        return actor_label(event.membership)
    if event.actor is not None:
        return str(event.actor)
    return external_label(event.details) or event.actor_label
