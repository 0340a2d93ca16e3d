"""Every write of the insights app: refreshing the per-case facts, and targets.

The facts are derived data: `refresh` recomputes a case's row from the base tables, so a date corrected
in any app changes past figures once the case is refreshed. `refresh_changed` finds the cases to refresh
from the audit log (every write of client data records an event naming the client), past a watermark.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from polku import audit
from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.audit.models import AuditEvent
from polku.clients.extensions import FeedbackSource
from polku.clients.models import Case
from polku.core import plugins, story_time
from polku.insights import facts, rollups
from polku.insights.models import CaseFact, FeedbackFact, MeasureFact, ServiceFact, Target, Watermark

BATCH = 2000
# Events commit out of id order when transactions overlap: each run also reads again the events of
# the last LAG before the previous run, so an event that committed late with a lower id is not missed.
LAG = timedelta(minutes=10)


@transaction.atomic
def refresh(case_ids: Iterable[int], *, roll_up: bool = True) -> int:
    """Recompute the facts of these cases (ids) from the base tables, and the monthly roll-ups by the
    difference between their old and new facts (only the roll-up rows they change; `roll_up=False` for a
    rebuild that recomputes the roll-ups after); returns how many facts were written."""
    ids = sorted(set(case_ids))
    written = 0
    if roll_up and ids:
        # One refresh at a time adds to the roll-ups (they are read, changed and written back).
        Watermark.objects.select_for_update().get_or_create(name="rollups")
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        new_facts, services, measures = facts.compute(batch)
        old = rollups.contributions(CaseFact.objects.filter(case_id__in=batch)) if roll_up else {}
        CaseFact.objects.filter(case_id__in=batch).delete()
        CaseFact.objects.bulk_create(new_facts)
        saved = {
            fact.case_id: fact for fact in CaseFact.objects.filter(case_id__in=batch).only("id", "case_id")
        }
        service_rows: list[ServiceFact] = []
        for case_id, rows in services.items():
            for row in rows:
                row.fact_id = saved[case_id].pk
                service_rows.append(row)
        ServiceFact.objects.bulk_create(service_rows)
        measure_rows: list[MeasureFact] = []
        for case_id, measured in measures.items():
            for measure in measured:
                measure.fact_id = saved[case_id].pk
                measure_rows.append(measure)
        MeasureFact.objects.bulk_create(measure_rows)
        if roll_up:
            rollups.apply(old, rollups.contributions(CaseFact.objects.filter(case_id__in=batch)))
        written += len(new_facts)
    return written


@transaction.atomic
def forget(case_ids: Iterable[int]) -> int:
    """Remove the facts of these cases (deleted, or about to be: `signals.case_deleted` calls this before
    a case's row goes, in the deleting transaction) and take their contributions out of the monthly
    roll-ups, so that no figure counts a case that is gone; returns how many facts were removed."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    Watermark.objects.select_for_update().get_or_create(name="rollups")
    removed = 0
    for start in range(0, len(ids), BATCH):
        gone = CaseFact.objects.filter(case_id__in=ids[start : start + BATCH])
        old = rollups.contributions(gone)
        removed += gone.count()
        gone.delete()
        rollups.apply(old, {})
    return removed


@transaction.atomic
def refresh_all() -> int:
    """Rebuild the facts of every case and the roll-ups (after an upgrade that changes what a fact means)."""
    Watermark.objects.select_for_update().get_or_create(name="rollups")
    ids = list(Case.objects.values_list("id", flat=True).order_by("id"))
    CaseFact.objects.exclude(case_id__in=ids).delete()
    written = sum(
        refresh(ids[start : start + BATCH * 5], roll_up=False) for start in range(0, len(ids), BATCH * 5)
    )
    rollups.rebuild()
    refresh_feedback(again=True)
    Watermark.objects.update_or_create(
        name="audit",
        defaults={
            "last_event_id": AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0,
            "ran_at": timezone.now(),
        },
    )
    return written


def refresh_changed() -> int:
    """Refresh the cases of every client named in an audit event since the last run."""
    with transaction.atomic():
        mark, _created = Watermark.objects.select_for_update().get_or_create(name="audit")
        events = AuditEvent.objects.filter(client_id__isnull=False)
        since = events.filter(id__gt=mark.last_event_id)
        if mark.ran_at is not None:
            since = since | events.filter(at__gte=mark.ran_at - LAG)
        last = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
        client_ids = set(since.filter(id__lte=last).values_list("client_id", flat=True).distinct())
        case_ids = list(Case.objects.filter(client__public_id__in=client_ids).values_list("id", flat=True))
        written = refresh(case_ids)
        refresh_feedback()
        mark.last_event_id = last
        mark.ran_at = timezone.now()
        mark.save(update_fields=["last_event_id", "ran_at"])
    return written


@transaction.atomic
def refresh_feedback(*, again: bool = False) -> int:
    """Copy the clients' service feedback answers past each source's watermark into `FeedbackFact`
    (`again`: all of them, from the start); returns how many were copied."""
    copied = 0
    for source in plugins.contributions(FeedbackSource):
        mark, _created = Watermark.objects.select_for_update().get_or_create(name=f"feedback:{source.key}")
        if again:
            FeedbackFact.objects.filter(source=source.key).delete()
            mark.last_event_id = 0
        rows = [
            FeedbackFact(
                source=source.key,
                answer_id=answer_id,
                organisation_id=organisation_id,
                occasion=occasion,
                month=month,
                heard=heard,
                knew_responsible=knew,
                useful=useful,
            )
            for answer_id, organisation_id, occasion, month, heard, knew, useful in source.answers(
                mark.last_event_id
            )
        ]
        FeedbackFact.objects.bulk_create(rows, batch_size=2000)
        if rows:
            mark.last_event_id = rows[-1].answer_id
        mark.ran_at = timezone.now()
        mark.save(update_fields=["last_event_id", "ran_at"])
        copied += len(rows)
    return copied


@transaction.atomic
def target_save(
    *,
    by: Membership,
    indicator: str,
    starts_on: date,
    ends_on: date,
    value: int,
    note: str = "",
    target: Target | None = None,
) -> Target:
    """Set (or correct) a target of the manager's own organisation."""
    from polku.insights.indicators import TARGETABLE

    permissions.require(by, "insights.target", target)
    if indicator not in TARGETABLE:
        raise ValidationError({"indicator": _("Choose an indicator that can have a target.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    target = target or Target(organisation_id=by.unit.organisation_id, set_by=by)
    target.indicator, target.starts_on, target.ends_on, target.value, target.note = (
        indicator,
        starts_on,
        ends_on,
        value,
        note,
    )
    target.set_by = by
    target.set_at = story_time.now()
    target.save()
    audit.record(by, "insights.target_save", target, details={"indicator": indicator, "value": value})
    return target


@transaction.atomic
def target_delete(*, by: Membership, target: Target) -> None:
    permissions.require(by, "insights.target", target)
    audit.record(by, "insights.target_delete", target, details={"indicator": target.indicator})
    target.delete()


def details_of(scope: Any, period: Any) -> dict[str, Any]:
    return {"scope": scope.key, "period": f"{period.start.isoformat()}/{period.end.isoformat()}"}


def situation_snapshot(*, by: Membership, report: Any) -> None:
    """Keep today's counts of a situation report for the next report's change (once a day)."""
    from polku.insights.models import SituationSnapshot

    permissions.require(by, "insights.situation")
    SituationSnapshot.objects.get_or_create(
        organisation_id=by.unit.organisation_id,
        municipality=report.municipality,
        made_on=report.on,
        defaults={"made_by": by, "counts": report.raw},
    )
