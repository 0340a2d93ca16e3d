"""The unit's IPS figures, counts only (no client): the outcome page (IPS.md, "Outcome figures") and
the measured values the fidelity review shows beside items 1, 15, 17, 19, 20, 21 and 23. Counts below
SMALL are hidden, as the insights will hide them (fewer than 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.employment.models import (
    ACTIVE_PHASES,
    CoachProfile,
    EmployerContact,
    FollowAlong,
    IpsPeriod,
    Job,
    WageType,
)

SMALL = 5
BENCHMARKS = ((31, gettext_lazy("minimum")), (41, gettext_lazy("average")), (50, gettext_lazy("excellent")))
WEEKS_OF_CONTACTS = 4


def quarter_of(on: date) -> tuple[date, date]:
    first_month = 3 * ((on.month - 1) // 3) + 1
    start = date(on.year, first_month, 1)
    end = date(on.year + (first_month + 2) // 12, (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return start, end


@dataclass(frozen=True)
class Figure:
    """A count or share that hides itself below SMALL (`shown` False: "fewer than 5")."""

    value: Any
    basis: int  # how many it is computed from

    @property
    def shown(self) -> bool:
        return self.basis >= SMALL


@dataclass(frozen=True)
class Outcomes:
    quarter: tuple[date, date]
    active: Figure
    competitive_share: Figure  # per cent, of the active caseload
    job_starts: Figure
    first_job_starts: Figure
    median_days_to_first_job: Figure
    retention_90: Figure  # per cent of jobs started 90-455 days ago that lasted 90 days
    contacts_per_coach_week: Decimal
    benchmarks: tuple[tuple[int, Any], ...] = BENCHMARKS


def _count(n: int) -> Figure:
    return Figure(n, n)


def outcomes(*, organisation_id: int, today: date | None = None) -> Outcomes:
    today = today or timezone.localdate()
    start, end = quarter_of(today)
    active_ids = list(
        IpsPeriod.objects.filter(organisation_id=organisation_id, phase__in=ACTIVE_PHASES).values_list(
            "id", flat=True
        )
    )
    competitive = (
        Job.objects.filter(period_id__in=active_ids, wage_type=WageType.COMPETITIVE, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("period_id")
        .distinct()
        .count()
    )
    jobs = Job.objects.filter(organisation_id=organisation_id)
    firsts = dict(jobs.values("client_id").annotate(first=Min("starts_on")).values_list("client_id", "first"))
    started = list(jobs.filter(starts_on__range=(start, end)).values_list("client_id", "starts_on"))
    first_starts = [c for c, on in started if firsts.get(c) == on]
    year_ago = today - timedelta(days=365)
    entered = dict(
        IpsPeriod.objects.filter(organisation_id=organisation_id)
        .values("client_id")
        .annotate(e=Min("entered_on"))
        .values_list("client_id", "e")
    )
    waits = [(first - entered[c]).days for c, first in firsts.items() if first >= year_ago and c in entered]
    old_enough = list(
        jobs.filter(
            starts_on__lte=today - timedelta(days=90), starts_on__gte=today - timedelta(days=455)
        ).values_list("starts_on", "ends_on")
    )
    kept = sum(1 for s, e in old_enough if e is None or (e - s).days >= 90)
    return Outcomes(
        quarter=(start, end),
        active=_count(len(active_ids)),
        competitive_share=Figure(
            round(100 * competitive / len(active_ids)) if active_ids else 0,
            min(len(active_ids), competitive) if competitive else len(active_ids),
        ),
        job_starts=_count(len(started)),
        first_job_starts=_count(len(first_starts)),
        median_days_to_first_job=Figure(round(median(waits)) if waits else None, len(waits)),
        retention_90=Figure(round(100 * kept / len(old_enough)) if old_enough else None, len(old_enough)),
        contacts_per_coach_week=contacts_per_coach_week(organisation_id=organisation_id, today=today),
    )


def contacts_per_coach_week(*, organisation_id: int, today: date) -> Decimal:
    """Face-to-face employer contacts per job coach per week over the last four full weeks."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(days=7 * WEEKS_OF_CONTACTS)
    contacts = EmployerContact.objects.filter(
        owner_id=organisation_id, face_to_face=True, on__gte=first, on__lt=monday
    )
    coaches = contacts.values("coach_id").distinct().count()
    if not coaches:
        return Decimal(0)
    return (Decimal(contacts.count()) / coaches / WEEKS_OF_CONTACTS).quantize(Decimal("0.1"))


def measured(*, organisation_id: int, today: date | None = None) -> dict[int, str]:
    """What Polku can measure for the review, by item number, as text beside the reviewer's rating."""
    today = today or timezone.localdate()
    year_ago = today - timedelta(days=365)
    found: dict[int, str] = {}
    active = dict(
        IpsPeriod.objects.filter(organisation_id=organisation_id, phase__in=ACTIVE_PHASES)
        .values("coach_id")
        .annotate(n=Count("id"))
        .values_list("coach_id", "n")
    )
    if active:
        ftes = dict(
            CoachProfile.objects.filter(membership_id__in=list(active)).values_list("membership_id", "fte")
        )
        per_fte = sum(Decimal(n) / ftes.get(coach, Decimal(1)) for coach, n in active.items()) / len(active)
        found[1] = _("%(n)s active clients per full-time coach on average") % {"n": round(per_fte, 1)}
    periods = list(
        IpsPeriod.objects.filter(organisation_id=organisation_id, entered_on__gte=year_ago)
        .annotate(first_contact=Min("employer_contacts__on", filter=Q(employer_contacts__face_to_face=True)))
        .values_list("entered_on", "first_contact")
    )
    waits = [(first - entered).days for entered, first in periods if first is not None]
    if waits:
        found[15] = _(
            "%(days)s days from entry to the first face-to-face employer contact (median, %(n)s clients)"
        ) % {
            "days": round(median(waits)),
            "n": len(waits),
        }
    found[17] = _("%(n)s face-to-face employer contacts per coach a week (last four weeks)") % {
        "n": contacts_per_coach_week(organisation_id=organisation_id, today=today)
    }
    jobs = list(
        Job.objects.filter(organisation_id=organisation_id, starts_on__gte=year_ago).values_list(
            "job_field", "employer_id", "wage_type"
        )
    )
    if jobs:
        found[19] = _("%(kinds)s kinds of work in %(n)s jobs") % {
            "kinds": len({j[0] for j in jobs}),
            "n": len(jobs),
        }
        found[20] = _("%(employers)s employers in %(n)s jobs") % {
            "employers": len({j[1] for j in jobs}),
            "n": len(jobs),
        }
        share = round(100 * sum(1 for j in jobs if j[2] == WageType.COMPETITIVE) / len(jobs))
        found[21] = _("%(share)s %% of jobs competitive") % {"share": share}
    latest = dict(
        FollowAlong.objects.filter(period__organisation_id=organisation_id, on__gte=year_ago)
        .values("period_id")
        .annotate(last=Max("on"))
        .values_list("period_id", "last")
    )
    first_jobs = dict(
        Job.objects.filter(period_id__in=list(latest))
        .values("period_id")
        .annotate(first=Min("starts_on"))
        .values_list("period_id", "first")
    )
    durations = [(latest[p] - first_jobs[p]).days for p in latest if p in first_jobs]
    if durations:
        found[23] = _("follow-along %(days)s days after the job start (median)") % {
            "days": round(median(durations))
        }
    return found


def totals_chart(points: list[tuple[date, int]]) -> dict[str, Any]:
    """An SVG line chart of review totals (25-125) with the band limits; the page also has a table."""
    width, height, pad = 600, 220, 40
    if not points:
        return {"points": "", "dots": [], "width": width, "height": height, "bands": []}

    def y(total: int) -> float:
        return round(height - pad - (total - 25) / 100 * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(len(points) - 1, 1)
    dots = [
        {"x": round(pad + n * step, 1), "y": y(total), "total": total, "on": on}
        for n, (on, total) in enumerate(points)
    ]
    return {
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "width": width,
        "height": height,
        "bands": [{"y": y(limit), "limit": limit} for limit in (74, 100, 115)],
    }
