"""The rows of one case's services as the services write them (referrals, placements with attendance and
feedback, the IPS period and its jobs, questionnaire responses), each with the facts `insights.facts`
derives from exactly them; `paths.Paths` tells the rest of the case's path."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from polku.assessments.models import Assessment
from polku.clients.models import Case, CaseOutcome, CaseSource, CaseStatus, CaseStatusChange, Client, Contact
from polku.employment.models import IpsPeriod, Job
from polku.insights.facts import TERMINAL_REFERRAL_STATUSES
from polku.insights.models import CaseFact, MeasureFact, ServiceFact, ServiceKind
from polku.instruments.models import Response
from polku.network.models import Referral, ReferralStatus
from polku.placements.models import Attendance, Feedback, Placement
from polku.plans.models import Goal, GoalRating, PlanReview, PlanVersion, ServicePlan

from .world import MUNICIPALITIES, World
from .writer import Table

MODELS = [
    Client,
    Case,
    CaseStatusChange,
    Contact,
    Assessment,
    ServicePlan,
    PlanVersion,
    Goal,
    PlanReview,
    GoalRating,
    Referral,
    Placement,
    Attendance,
    Feedback,
    IpsPeriod,
    Job,
    Response,
    CaseFact,
    ServiceFact,
    MeasureFact,
]
FACT_MODELS = (CaseFact, ServiceFact, MeasureFact)
OUTCOMES = [value for value, _label in CaseOutcome.choices]
SOURCES = [value for value, _label in CaseSource.choices]
OPEN = [CaseStatus.SCREENING, CaseStatus.ASSESSMENT, CaseStatus.PLANNING, CaseStatus.ACTIVE_SERVICES]
# Where a sent referral ends up: (status, answered, started, ended).
REFERRAL_PATHS = [
    (ReferralStatus.SENT, False, False, False, 8),
    (ReferralStatus.ACCEPTED, True, False, False, 10),
    (ReferralStatus.DECLINED, True, False, False, 8),
    (ReferralStatus.STARTED, True, True, False, 20),
    (ReferralStatus.COMPLETED, True, True, True, 30),
    (ReferralStatus.DISCONTINUED, True, True, True, 8),
    (ReferralStatus.DID_NOT_ATTEND, True, False, True, 6),
    (ReferralStatus.CANCELLED, False, False, False, 5),
]
ABSENT = ("absent_notice", "absent_no_notice")


@dataclass
class Span:
    start: date
    end: date  # the last day a case may be identified on


class Records:
    """What every path shares: the tables, the synthetic clock and the rows of the services."""

    def __init__(self, world: World, span: Span, today: date, tz: tzinfo, seed: int = 22) -> None:
        self.world, self.span, self.today, self.tz = world, span, today, tz
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data
        self.tables = {model: Table(model) for model in MODELS}
        self.days = (span.end - span.start).days + 1
        self.counties = MUNICIPALITIES
        from polku.network.models import Service

        self.service_info = {
            s.pk: (s.category.code, s.provider.name)
            for s in Service.objects.filter(pk__in=world.services).select_related("category", "provider")
        }

    def at(self, day: date, hour: int = 12) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)), tzinfo=self.tz)

    def step(self, after: date | None, chance: float, low: int, high: int) -> date | None:
        if after is None or self.rng.random() >= chance:
            return None
        day = after + timedelta(days=self.rng.randint(low, high))
        return day if day < self.today else None

    def _referral(
        self,
        case: int,
        client: int,
        organisation: int,
        worker: int,
        plan: date,
        last: date,
        starts: list[date],
    ) -> dict[str, Any]:
        rng = self.rng
        service = rng.choice(self.world.services)
        sent = plan + timedelta(days=rng.randint(0, 40))
        sent = min(sent, last, self.today - timedelta(days=1))
        status, answered, started, ended, _w = rng.choices(REFERRAL_PATHS, [p[4] for p in REFERRAL_PATHS])[0]
        answer_day = sent + timedelta(days=rng.randint(0, 30)) if answered else None
        start_day = answer_day + timedelta(days=rng.randint(0, 40)) if started and answer_day else None
        if (answer_day and answer_day >= self.today) or (start_day and start_day >= self.today):
            status, answered, started, ended, answer_day, start_day = (
                ReferralStatus.SENT,
                False,
                False,
                False,
                None,
                None,
            )
        end_day = (
            (start_day or answer_day) + timedelta(days=rng.randint(5, 90)) if ended and answer_day else None
        )
        if end_day and end_day >= self.today:
            end_day = None
            status = ReferralStatus.STARTED if start_day else ReferralStatus.ACCEPTED
        sent_at = self.at(sent)
        answered_at = self.at(answer_day) if answer_day else None
        started_at = self.at(start_day) if start_day else None
        ended_at = self.at(end_day) if end_day else None
        changed = ended_at or started_at or answered_at or sent_at
        accepted = status not in (ReferralStatus.SENT, ReferralStatus.DECLINED, ReferralStatus.CANCELLED)
        self.tables[Referral].add(
            created_at=sent_at,
            updated_at=changed,
            case_id=case,
            client_id=client,
            service_id=service,
            reason="Ohjaus palveluun.",
            organisation_id=organisation,
            register="employment",
            created_by_id=worker,
            status=status,
            status_changed_at=changed,
            sent_at=sent_at,
            answered_at=answered_at,
            accepted_at=answered_at if accepted else None,
            started_at=started_at,
            ended_at=ended_at,
            days_to_start=(start_day - sent).days if start_day else None,
        )
        if start_day:
            starts.append(start_day)
        category, provider = self.service_info[service]
        return {
            "kind": ServiceKind.REFERRAL,
            "category": category,
            "provider": provider,
            "status": status,
            "is_terminal": status in TERMINAL_REFERRAL_STATUSES,
            "sent_on": sent,
            "days_to_answer": (answer_day - sent).days if answer_day else None,
            "days_to_start": (start_day - sent).days if start_day else None,
        }

    def _placement(
        self,
        case: int,
        client: int,
        organisation: int,
        worker: int,
        plan: date,
        last: date,
        starts: list[date],
    ) -> dict[str, Any]:
        rng, t, today = self.rng, self.tables, self.today
        begins = min(plan + timedelta(days=rng.randint(5, 60)), last)
        ends = begins + timedelta(days=rng.randint(20, 120))
        interrupted = begins + timedelta(days=rng.randint(1, 30)) if rng.random() < 0.15 else None
        if interrupted is not None and interrupted >= today:
            interrupted = None
        kind = rng.choice(["work_trial", "rehabilitative_work"])
        stamp = self.at(min(plan, today - timedelta(days=1)))
        placement = t[Placement].add(
            created_at=stamp,
            updated_at=stamp,
            case_id=case,
            client_id=client,
            organisation_id=organisation,
            register="employment" if kind == "work_trial" else "social",
            kind=kind,
            host_name="Mittausyritys Oy",
            supervisor_name="Ohjaaja",
            supervisor_email="ohjaaja@example.com",
            tasks="Työtehtävät.",
            starts_on=begins,
            ends_on=ends,
            days_per_week=3,
            hours_per_day="4.0",
            interrupted_on=interrupted,
            interruption_reason="Keskeytyi." if interrupted else "",
            interrupted_by_id=worker if interrupted else None,
            created_by_id=worker,
        )
        present = absent = 0
        stop = min(interrupted or ends, today - timedelta(days=1))
        day = begins
        for _n in range(rng.randint(0, 6)):
            if day > stop:
                break
            status = rng.choices(["present", "absent_notice", "absent_no_notice", "sick"], [8, 1, 1, 1])[0]
            t[Attendance].add(
                placement_id=placement, on=day, status=status, recorded_by_id=worker, recorded_at=self.at(day)
            )
            present += status == "present"
            absent += status in ABSENT
            day += timedelta(days=rng.randint(1, 3))
        feedback = begins + timedelta(days=14) < today and rng.random() < 0.4
        if feedback:
            given = self.at(begins + timedelta(days=14))
            t[Feedback].add(
                created_at=given,
                updated_at=given,
                placement_id=placement,
                stage="mid_term",
                ratings={},
                recommendation="continue",
                given_by="Ohjaaja",
                submitted_at=given,
            )
        if interrupted is not None and interrupted <= today:
            status = "interrupted"
        elif today < begins:
            status = "planned"
        elif today > ends:
            status = "ended"
        else:
            status = "ongoing"
        if begins <= today and (interrupted is None or interrupted > begins):
            starts.append(begins)
        return {
            "kind": ServiceKind.PLACEMENT,
            "placement_kind": kind,
            "status": status,
            "is_terminal": status in ("ended", "interrupted"),
            "sent_on": begins,
            "days_present": present,
            "days_absent": absent,
            "has_feedback": feedback,
        }

    def _ips(
        self, case: int, client: int, organisation: int, worker: int, contact: date, last: date
    ) -> tuple[date, tuple[date, date | None, date | None] | None]:
        rng, t = self.rng, self.tables
        entered = min(contact + timedelta(days=rng.randint(0, 60)), last)
        stamp = self.at(entered)
        period = t[IpsPeriod].add(
            created_at=stamp,
            updated_at=stamp,
            case_id=case,
            client_id=client,
            organisation_id=organisation,
            coach_id=worker,
            phase="job_search",
            entered_on=entered,
            created_by_id=worker,
        )
        found: list[tuple[date, date | None, str]] = []
        begins = entered
        for _n in range(rng.choice([0, 1, 1, 2])):
            begins = begins + timedelta(days=rng.randint(10, 150))
            if begins > last:
                break
            ends = begins + timedelta(days=rng.randint(5, 400)) if rng.random() < 0.6 else None
            if ends is not None and ends >= self.today:
                ends = None
            wage = rng.choices(["competitive", "wage_subsidised", "other"], [7, 2, 1])[0]
            when = self.at(begins)
            t[Job].add(
                created_at=when,
                updated_at=when,
                period_id=period,
                client_id=client,
                organisation_id=organisation,
                employer_id=rng.choice(self.world.employers),
                title="Työ",
                job_field="office",
                hours_per_week="20.0",
                wage_type=wage,
                starts_on=begins,
                ends_on=ends,
                end_reason="temporary_ended" if ends else "",
                recorded_by_id=worker,
            )
            found.append((begins, ends, wage))
            if ends is None:
                break
            begins = ends
        if not found:
            return entered, None
        competitive = next((b for b, _e, wage in found if wage == "competitive"), None)
        return entered, (found[0][0], found[0][1], competitive)

    def _responses(
        self, case: int, client: int, organisation: int, worker: int, contact: date, last: date
    ) -> list[dict[str, Any]]:
        rng, t = self.rng, self.tables
        rows = []
        for code, version in self.world.versions.items():
            if rng.random() < 0.4:
                continue
            top = 27 if code.endswith("phq9") else 10
            day = contact
            points = []
            for _n in range(rng.randint(1, 3)):
                if day > last or day >= self.today:
                    break
                at = self.at(day)
                score = rng.randint(0, top)
                t[Response].add(
                    created_at=at,
                    updated_at=at,
                    version_id=version,
                    client_id=client,
                    case_id=case,
                    answered_by="staff_with_client",
                    entered_by_id=worker,
                    organisation_id=organisation,
                    register="health",
                    total_score=score,
                    completed_at=at,
                )
                points.append((day, score))
                day += timedelta(days=rng.randint(30, 150))
            if points:
                rows.append(
                    {
                        "instrument": code,
                        "first_on": points[0][0],
                        "first_score": points[0][1],
                        "latest_on": points[-1][0],
                        "latest_score": points[-1][1],
                        "responses": len(points),
                    }
                )
        return rows
