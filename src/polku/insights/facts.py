"""Computing the facts of a batch of cases from the base tables each app owns.

Set-based: a batch of cases costs a fixed number of grouped queries whatever its size, so a full rebuild
of a million cases runs in batches (`services.refresh_all`) and a day's changes in one batch or a few.
Only dates, statuses, codes and scores are read, never free text or names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Min
from django.utils import timezone

from polku.assessments.models import Assessment
from polku.clients.models import Case, Contact
from polku.employment import selectors as employment
from polku.employment.selectors import CaseJobs
from polku.insights.models import (
    CaseFact,
    CountyMunicipality,
    MeasureFact,
    ServiceFact,
    ServiceKind,
    age_band,
)
from polku.instruments.models import Response
from polku.network.models import Referral, ReferralStatus
from polku.placements.models import Attendance, AttendanceStatus, Feedback, Placement
from polku.plans.models import GoalRating, PlanReview, PlanVersion

# A referral has reached the end of its loop (MEASURES.md, "Referral networks": terminal states only).
TERMINAL_REFERRAL_STATUSES = frozenset(
    {
        ReferralStatus.COMPLETED,
        ReferralStatus.DISCONTINUED,
        ReferralStatus.DECLINED,
        ReferralStatus.DID_NOT_ATTEND,
    }
)
NO_JOBS = CaseJobs()
ABSENT = frozenset({AttendanceStatus.ABSENT_WITH_NOTICE, AttendanceStatus.ABSENT_WITHOUT_NOTICE})


def local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def days_between(start: date | None, end: date | None) -> int | None:
    return (end - start).days if start is not None and end is not None else None


def earliest(*days: date | None) -> date | None:
    present = [day for day in days if day is not None]
    return min(present) if present else None


def job_start_dates(case_ids: list[int]) -> dict[int, CaseJobs]:
    """The IPS path of each case as the employment app records it: the first entry into IPS, the first
    job start (with that job's end) and the first competitive job start."""
    return employment.case_jobs(case_ids)


def _first_by_case(rows: Iterable[dict[str, Any]], key: str = "first") -> dict[int, Any]:
    return {row["case_id"]: row[key] for row in rows}


def compute(
    case_ids: list[int],
) -> tuple[list[CaseFact], dict[int, list[ServiceFact]], dict[int, list[MeasureFact]]]:
    """The facts of the cases (unsaved), with their service and measure rows by case id."""
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(id__in=case_ids).values(
            "id",
            "unit_id",
            "unit__organisation_id",
            "personal_worker_id",
            "source",
            "opened_on",
            "closed_on",
            "outcome",
            "client__municipality_id",
            "client__birth_date",
        )
    )
    counties = dict(CountyMunicipality.objects.values_list("municipality_id", "county"))
    contacts = _first_by_case(
        Contact.objects.filter(case_id__in=case_ids).values("case_id").annotate(first=Min("happened_on"))
    )
    assessments = _first_by_case(
        Assessment.objects.filter(case_id__in=case_ids, concluded_on__isnull=False)
        .values("case_id")
        .annotate(first=Min("concluded_on"))
    )
    plans = {
        row["plan__case_id"]: row["first"]
        for row in PlanVersion.objects.filter(plan__case_id__in=case_ids, agreed_on__isnull=False)
        .values("plan__case_id")
        .annotate(first=Min("agreed_on"))
    }
    jobs = job_start_dates(case_ids)
    services = _services(case_ids, today)
    gas = _gas(case_ids)
    measures = _measures(case_ids)

    facts = []
    for row in cases:
        case_id = row["id"]
        identified = row["opened_on"]
        referral_rows = [s for s in services[case_id] if s.kind == ServiceKind.REFERRAL]
        sent = earliest(*(s.sent_on for s in referral_rows))
        started = earliest(
            *(s.started for s in services[case_id] if s.started is not None)  # type: ignore[attr-defined]
        )
        goals, met, reviews, t_first, t_latest = gas.get(case_id, (0, 0, 0, None, None))
        job = jobs.get(case_id, NO_JOBS)
        facts.append(
            CaseFact(
                case_id=case_id,
                organisation_id=row["unit__organisation_id"],
                unit_id=row["unit_id"],
                worker_id=row["personal_worker_id"],
                municipality=row["client__municipality_id"],
                county=counties.get(row["client__municipality_id"], ""),
                source=row["source"],
                age_band=age_band(_age(row["client__birth_date"], identified)),
                identified_on=identified,
                first_contact_on=contacts.get(case_id),
                assessment_on=assessments.get(case_id),
                plan_agreed_on=plans.get(case_id),
                referral_sent_on=sent,
                service_started_on=started,
                ips_entered_on=job.entered_on,
                job_started_on=job.first_start,
                job_ended_on=job.first_end,
                first_job_days=job.first_days,
                competitive_job_on=job.competitive_start,
                closed_on=row["closed_on"],
                outcome=row["outcome"],
                days_to_contact=days_between(identified, contacts.get(case_id)),
                days_to_plan=days_between(identified, plans.get(case_id)),
                days_to_service=days_between(identified, started),
                days_to_job=days_between(identified, job.first_start),
                gas_goals=goals,
                gas_goals_met=met,
                gas_reviews=reviews,
                t_score_first=t_first,
                t_score_latest=t_latest,
            )
        )
    return facts, services, measures


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _services(case_ids: list[int], today: date) -> dict[int, list[ServiceFact]]:
    rows: dict[int, list[ServiceFact]] = defaultdict(list)
    for referral in Referral.objects.filter(case_id__in=case_ids).values(
        "case_id",
        "status",
        "sent_at",
        "answered_at",
        "started_at",
        "service__category__code",
        "service__provider__name",
    ):
        if referral["sent_at"] is None:
            continue  # a draft or a discarded draft never reached anyone
        sent = local_day(referral["sent_at"])
        started = local_day(referral["started_at"])
        fact = ServiceFact(
            kind=ServiceKind.REFERRAL,
            category=referral["service__category__code"],
            provider=referral["service__provider__name"],
            status=referral["status"],
            is_terminal=referral["status"] in TERMINAL_REFERRAL_STATUSES,
            sent_on=sent,
            days_to_answer=days_between(sent, local_day(referral["answered_at"])),
            days_to_start=days_between(sent, started),
        )
        fact.started = started  # type: ignore[attr-defined]
        rows[referral["case_id"]].append(fact)
    placements = list(
        Placement.objects.filter(case_id__in=case_ids).values(
            "id", "case_id", "kind", "starts_on", "ends_on", "interrupted_on"
        )
    )
    placement_ids = [p["id"] for p in placements]
    attendance: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Attendance.objects.filter(placement_id__in=placement_ids)
        .values("placement_id", "status")
        .annotate(n=Count("id"))
    ):
        attendance[row["placement_id"]][row["status"]] = row["n"]
    with_feedback = set(
        Feedback.objects.filter(placement_id__in=placement_ids).values_list("placement_id", flat=True)
    )
    for placement in placements:
        interrupted = placement["interrupted_on"]
        began = placement["starts_on"] <= today and (
            interrupted is None or interrupted > placement["starts_on"]
        )
        if interrupted is not None and interrupted <= today:
            status = "interrupted"
        elif today < placement["starts_on"]:
            status = "planned"
        elif today > placement["ends_on"]:
            status = "ended"
        else:
            status = "ongoing"
        counts = attendance.get(placement["id"], {})
        fact = ServiceFact(
            kind=ServiceKind.PLACEMENT,
            placement_kind=placement["kind"],
            status=status,
            is_terminal=status in ("ended", "interrupted"),
            sent_on=placement["starts_on"],
            days_present=counts.get(AttendanceStatus.PRESENT, 0),
            days_absent=sum(n for s, n in counts.items() if s in ABSENT),
            has_feedback=placement["id"] in with_feedback,
        )
        fact.started = placement["starts_on"] if began else None  # type: ignore[attr-defined]
        rows[placement["case_id"]].append(fact)
    return rows


def _gas(case_ids: list[int]) -> dict[int, tuple[int, int, int, float | None, float | None]]:
    """Per case: goals rated at the latest review, of them at 0 or better, the first and latest T-score."""
    reviews: dict[int, list[Any]] = defaultdict(list)
    for review in (
        PlanReview.objects.filter(plan__case_id__in=case_ids)
        .values("id", "plan__case_id", "held_on", "t_score")
        .order_by("held_on", "id")
    ):
        reviews[review["plan__case_id"]].append(review)
    latest = {case_id: rows[-1]["id"] for case_id, rows in reviews.items()}
    ratings: dict[int, list[int]] = defaultdict(list)
    for review_id, level in GoalRating.objects.filter(review_id__in=latest.values()).values_list(
        "review_id", "level"
    ):
        ratings[review_id].append(level)
    return {
        case_id: (
            len(ratings[latest[case_id]]),
            sum(1 for level in ratings[latest[case_id]] if level >= 0),
            len(rows),
            rows[0]["t_score"],
            rows[-1]["t_score"],
        )
        for case_id, rows in reviews.items()
    }


def _measures(case_ids: list[int]) -> dict[int, list[MeasureFact]]:
    series: dict[tuple[int, str], list[tuple[Any, Any]]] = defaultdict(list)
    for case_id, code, at, score in (
        Response.objects.current()
        .filter(case_id__in=case_ids)
        .values_list("case_id", "version__instrument__code", "completed_at", "total_score")
        .order_by("completed_at", "id")
    ):
        series[(case_id, code)].append((at, score))
    rows: dict[int, list[MeasureFact]] = defaultdict(list)
    for (case_id, code), points in series.items():
        rows[case_id].append(
            MeasureFact(
                instrument=code,
                first_on=timezone.localtime(points[0][0]).date(),
                first_score=points[0][1],
                latest_on=timezone.localtime(points[-1][0]).date(),
                latest_score=points[-1][1],
                responses=len(points),
            )
        )
    return rows
