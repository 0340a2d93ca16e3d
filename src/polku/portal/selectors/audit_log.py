"""Who has viewed my data: the staff access report limited to two years, paged by keyset, and the
chain check of the listed events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from polku.audit.models import AuditEvent, AuditSeal
from polku.clients import selectors as client_selectors
from polku.clients.models import Client

ACCESS_LOG_DAYS = 2 * 365 + 1


ACCESS_LOG_PAGE = 50


def access_log(client: Client) -> QuerySet[AuditEvent]:
    """Every reading and change of the client's data in the last two years, newest first: the staff
    access report's own selector (`clients.selectors.access_report`), so the client sees exactly what
    staff would, with whatever it adds (the access basis)."""
    since = timezone.now() - timedelta(days=ACCESS_LOG_DAYS)
    return client_selectors.access_report(client).filter(at__gte=since)


def access_log_page(client: Client, cursor: str = "") -> tuple[list[AuditEvent], str]:
    """One page of the access log by keyset (`cursor`: the last shown event's time and id), with the
    next page's cursor ("" on the last page): no count and no offset, so a client with thousands of
    events in a table of millions pays the same for every page."""
    events = access_log(client)
    at, pk = _cursor(cursor)
    if at is not None:
        events = events.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    rows = list(events[: ACCESS_LOG_PAGE + 1])
    more = len(rows) > ACCESS_LOG_PAGE
    rows = rows[:ACCESS_LOG_PAGE]
    return rows, (f"{rows[-1].at.timestamp():.6f}_{rows[-1].pk}" if more else "")


def _cursor(value: str) -> tuple[datetime | None, int]:
    try:
        stamp, pk = value.split("_")
        return datetime.fromtimestamp(float(stamp), tz=UTC), int(pk)
    except ValueError:
        return None, 0


def chain_check(events: list[AuditEvent]) -> dict[str, Any]:
    """Whether the listed events are intact, without walking the whole chain: each event's keyed hash
    matches its contents (the key is not in the database, so an edited row cannot carry a valid hash)
    and its seal links it into the chain (the seal's hash covers the previous seal's and the event's).
    Events written in the last minute may not be sealed yet. `manage.py verify_audit` walks the whole
    chain against the signed checkpoints; this is the part of it that concerns this client."""
    seals = {seal.event_id: seal for seal in AuditSeal.objects.filter(event_id__in=[e.pk for e in events])}
    broken, pending = [], 0
    for event in events:
        seal = seals.get(event.pk)
        if not event.has_keyed_hash() and event.hash != event.compute_unkeyed_hash():
            broken.append(event.pk)
        elif seal is None:
            pending += 1
        elif seal.hash != AuditSeal.link(seal.prev_hash, event.hash):
            broken.append(event.pk)
    return {"checked": len(events), "broken": broken, "pending": pending, "ok": not broken}
