"""Why an access was allowed: the basis every audit event records (Act 703/2023 on the processing of client
data asks the log to say on what ground each person read or changed a client's data).

A basis is a small dict stored on the event (`AuditEvent.basis`, inside its hash) with a `kind`:

- `team`: a member of the client's case team: `case` (its public id) and `role`;
  `consents` (public ids) when consents valid today let other organisations' records show;
- `break_glass`: opened outside the case teams for a few hours: `reason` as the worker stated it;
- `consent`: a record disclosed under the client's consent: `consents` (public ids);
- `administrator`: an administrator's task: `task`;
- `client`: the client themself (the coming client portal);
- `rule`: a rule of its own (a list page, the offer to break the glass, registering the client): `rule`
  names the action whose rule allowed it;
- `refused`: nothing was allowed (a refusal is logged too).

How an event gets its basis: `record(..., basis=...)` names it outright; otherwise the permission rules
note the fact that allowed a client's data (`note`, into the request's context: `clients.access` notes
the team or the break-the-glass access when it decides), and `record` takes what was noted for its
actor and client, at no cost in queries. Outside a request (a management command, a service called on
its own) a `BasisFinder` contributed by the app that knows clients reads it; otherwise the basis is the
rule of the recorded action. Audit sits below accounts and clients: it knows the basis only as data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from polku.audit.context import current

TEAM = "team"
BREAK_GLASS = "break_glass"
CONSENT = "consent"
ADMINISTRATOR = "administrator"
CLIENT = "client"
RULE = "rule"
REFUSED = "refused"
KINDS = (TEAM, BREAK_GLASS, CONSENT, ADMINISTRATOR, CLIENT, RULE, REFUSED)


def team(case: Any, role: str) -> dict[str, Any]:
    return {"kind": TEAM, "case": str(case), "role": role}


def break_glass(reason: str) -> dict[str, Any]:
    return {"kind": BREAK_GLASS, "reason": reason}


def consent(*consents: Any) -> dict[str, Any]:
    return {"kind": CONSENT, "consents": sorted(str(c) for c in consents)}


def administrator(task: str) -> dict[str, Any]:
    return {"kind": ADMINISTRATOR, "task": task}


def client_self() -> dict[str, Any]:
    return {"kind": CLIENT}


def rule(action: str) -> dict[str, Any]:
    return {"kind": RULE, "rule": action}


def refused(action: str) -> dict[str, Any]:
    return {"kind": REFUSED, "rule": action}


def note(membership_id: Any, client_id: Any, basis: dict[str, Any]) -> None:
    """Remember, for this request, the fact that let the membership see the client (by the client's
    primary key). The first fact noted stands: the rules ask the strongest (the team) first."""
    context = current.get()
    if context is not None and membership_id is not None and client_id is not None:
        context.bases.setdefault((membership_id, client_id), basis)


def note_consents(membership_id: Any, client_id: Any, consents: list[Any]) -> None:
    """Remember the consents valid today under which other organisations' records of the client may show
    to the membership's organisation in this request."""
    context = current.get()
    if context is not None and consents:
        context.consents[(membership_id, client_id)] = sorted(str(c) for c in consents)


def noted(membership_id: Any, client_id: Any) -> dict[str, Any] | None:
    """What this request noted for the membership and the client, with its consents; None if nothing."""
    context = current.get()
    if context is None:
        return None
    found = context.bases.get((membership_id, client_id))
    consents = context.consents.get((membership_id, client_id))
    if found is None:
        return consent(*consents) if consents else None
    return {**found, "consents": consents} if consents and found.get("kind") == TEAM else found


def in_request() -> bool:
    return current.get() is not None


@dataclass(frozen=True)
class BasisFinder:
    """Reads the basis of a membership's access to a client outside a request (where nothing was noted):
    `find(membership, client)` returns a basis or None. The app that knows clients contributes one."""

    key: str
    find: Callable[[Any, Any], dict[str, Any] | None]
