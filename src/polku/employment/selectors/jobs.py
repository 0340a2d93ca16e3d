"""Jobs held in a period, their follow-along support, and the job events of a unit's figures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Min, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.employment.models import (
    FollowAlong,
    IpsPeriod,
    Job,
    WageType,
)


@dataclass(frozen=True)
class HeldJob:
    job: Job
    first: bool
    tenure_days: int


def jobs_of(period: IpsPeriod) -> list[HeldJob]:
    """The period's jobs, newest first; the client's first job start in IPS (any period) is told apart."""
    first_id = (
        Job.objects.filter(client_id=period.client_id)
        .order_by("starts_on", "id")
        .values_list("id", flat=True)
        .first()
    )
    today = timezone.localdate()
    return [
        HeldJob(job=job, first=job.pk == first_id, tenure_days=job.tenure_days(today))
        for job in period.jobs.select_related("employer")
    ]


def follow_alongs_of(period: IpsPeriod) -> list[FollowAlong]:
    return list(period.follow_alongs.select_related("job"))


def job_for(*, viewer: Membership, public_id: uuid.UUID | str) -> Job:
    job = (
        Job.objects.select_related("period__case__unit__organisation", "client", "employer")
        .filter(public_id=public_id)
        .first()
    )
    if job is None:
        raise Http404
    permissions.require(viewer, "ips.manage", job.period, hide=True)
    return job


# --- Job starts and ends for the insights -------------------------------------------------------------


@dataclass(frozen=True)
class JobEvent:
    """A job start or end, without names: what the insights count."""

    kind: str  # "start" or "end"
    on: date
    organisation_id: int
    unit_id: int
    first: bool
    wage_type: str
    hours_per_week: Decimal
    end_reason: str


def job_events(*, organisation_id: int, start: date, end: date) -> list[JobEvent]:
    """Every IPS job start and end of an organisation's register between `start` and `end` (both
    included), for aggregate figures only (no client, no name). One query."""
    first_start = (
        Job.objects.filter(client_id=OuterRef("client_id")).order_by("starts_on", "id").values("id")[:1]
    )
    from django.db.models import Subquery

    jobs = (
        Job.objects.filter(organisation_id=organisation_id)
        .filter(Q(starts_on__range=(start, end)) | Q(ends_on__range=(start, end)))
        .annotate(first_id=Subquery(first_start))
        .values(
            "id",
            "first_id",
            "starts_on",
            "ends_on",
            "organisation_id",
            "period__case__unit_id",
            "wage_type",
            "hours_per_week",
            "end_reason",
        )
    )
    events: list[JobEvent] = []
    for job in jobs:
        common = {
            "organisation_id": job["organisation_id"],
            "unit_id": job["period__case__unit_id"],
            "first": job["id"] == job["first_id"],
            "wage_type": job["wage_type"],
            "hours_per_week": job["hours_per_week"],
        }
        if start <= job["starts_on"] <= end:
            events.append(JobEvent(kind="start", on=job["starts_on"], end_reason="", **common))
        if job["ends_on"] and start <= job["ends_on"] <= end:
            events.append(JobEvent(kind="end", on=job["ends_on"], end_reason=job["end_reason"], **common))
    return sorted(events, key=lambda e: (e.on, e.kind))


@dataclass(frozen=True)
class CaseJobs:
    """A case's IPS path for the insights' per-case facts: when it first entered IPS, its first job
    start (and that job's end and days held, `None` while it lasts) and its first competitive job start."""

    entered_on: date | None = None
    first_start: date | None = None
    first_end: date | None = None
    first_days: int | None = None
    competitive_start: date | None = None


def case_jobs(case_ids: list[int]) -> dict[int, CaseJobs]:
    """The IPS entry and first job starts of each case that has any (no client, no name). Two queries."""
    entered = dict(
        IpsPeriod.objects.filter(case_id__in=case_ids)
        .values("case_id")
        .annotate(first=Min("entered_on"))
        .values_list("case_id", "first")
        .order_by()
    )
    first: dict[int, tuple[date, date | None]] = {}
    competitive: dict[int, date] = {}
    for case_id, starts_on, ends_on, wage_type in (
        Job.objects.filter(period__case_id__in=case_ids)
        .order_by("starts_on", "id")
        .values_list("period__case_id", "starts_on", "ends_on", "wage_type")
    ):
        first.setdefault(case_id, (starts_on, ends_on))
        if wage_type == WageType.COMPETITIVE:
            competitive.setdefault(case_id, starts_on)
    found = {}
    for case_id in set(entered) | set(first):
        start, end = first.get(case_id, (None, None))
        found[case_id] = CaseJobs(
            entered_on=entered.get(case_id),
            first_start=start,
            first_end=end,
            first_days=(end - start).days if start is not None and end is not None else None,
            competitive_start=competitive.get(case_id),
        )
    return found
