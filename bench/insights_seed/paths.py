"""One synthetic case's path through the services, as rows of the base tables the services write
(client, case and its status history, contacts, assessment, service plan with goals, reviews and GAS
ratings, referrals, placements with attendance and feedback, the IPS period and jobs, questionnaire
responses), and the facts `insights.facts.compute` derives from exactly those rows (the case's
`CaseFact` with its `ServiceFact`s and `MeasureFact`s). tests/bench/test_insights_seed.py checks the
facts against the real refresh field by field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bench.scale_seed.people import scale_person
from polku.assessments.models import Assessment
from polku.clients import identity
from polku.clients.models import Case, CaseStatus, CaseStatusChange, Client, Contact
from polku.insights.models import CaseFact, MeasureFact, ServiceFact, ServiceKind, age_band
from polku.network.models import Referral, ReferralStatus
from polku.plans.models import Goal, GoalRating, PlanReview, PlanVersion, ServicePlan

from .records import FACT_MODELS, MODELS, OPEN, OUTCOMES, SOURCES, Records, Span

__all__ = ["FACT_MODELS", "MODELS", "Paths", "Span"]


class Paths(Records):
    """Makes the rows of case number `index` (`add`) into `tables`."""

    def add(self, index: int) -> None:
        rng, t = self.rng, self.tables
        w = self.world
        m = rng.randrange(len(w.municipalities))
        municipality = w.municipalities[m]
        organisation = w.organisations[m * 2 + rng.randrange(2)]
        unit = rng.choice(w.units[organisation])
        worker = rng.choice(w.workers[unit])
        personal = worker if rng.random() < 0.97 else None
        identified = self.span.start + timedelta(days=rng.randrange(self.days))
        code, birth, _individual = scale_person(3_000_000 + index)
        opened_at = self.at(identified, 9)
        client = t[Client].add(
            created_at=opened_at,
            updated_at=opened_at,
            identity_code_encrypted=identity.encrypt(code),
            identity_code_hash=identity.lookup_hash(code),
            identity_code_masked=identity.mask(code),
            first_names="Mitta",
            last_name=f"Asiakas {index}",
            search_name=f"mitta asiakas {index}",
            birth_date=birth,
            sex="female" if index % 2 else "male",
            municipality_id=municipality,
            languages=["fi"],
            created_by_id=worker,
        )
        contact = self.step(identified, 0.9, 0, 40)
        assessed = self.step(contact, 0.5, 10, 90)
        plan = self.step(contact, 0.7, 10, 100)
        closed = self.step(identified, 0.55, 60, 700)
        if closed is not None:
            # Nothing after the case closed: the services refuse records on a closed case.
            contact, assessed, plan = (
                d if d is not None and d <= closed else None for d in (contact, assessed, plan)
            )
        last = closed or self.today - timedelta(days=1)

        def before_end(day: date | None) -> date | None:
            return day if day is not None and day <= last else None

        case = t[Case].take()
        source = rng.choice(SOURCES)
        outcome = rng.choice(OUTCOMES) if closed else ""
        status = CaseStatus.CLOSED if closed else rng.choice(OPEN)
        status_at = self.at(closed) if closed else opened_at
        t[Case].add(
            id=case,
            created_at=opened_at,
            updated_at=status_at,
            client_id=client,
            unit_id=unit,
            source=source,
            opened_on=identified,
            opened_by_id=worker,
            status=status,
            status_changed_at=status_at,
            personal_worker_id=personal,
            closed_on=closed,
            outcome=outcome,
        )
        t[CaseStatusChange].add(
            case_id=case, status=CaseStatus.IDENTIFIED, previous_status="", at=opened_at, by_id=worker
        )
        if status != CaseStatus.IDENTIFIED:
            previous = CaseStatus.SCREENING if closed else CaseStatus.IDENTIFIED
            if closed:
                t[CaseStatusChange].add(
                    case_id=case,
                    status=previous,
                    previous_status=CaseStatus.IDENTIFIED,
                    at=opened_at,
                    by_id=worker,
                )
            t[CaseStatusChange].add(
                case_id=case, status=status, previous_status=previous, at=status_at, by_id=worker
            )
        contacts = [contact] if contact else []
        if contact and rng.random() < 0.5:
            later = before_end(contact + timedelta(days=rng.randint(1, 60)))
            contacts += [later] if later and later < self.today else []
        for day in contacts:
            stamp = self.at(day)
            t[Contact].add(
                created_at=stamp,
                updated_at=stamp,
                case_id=case,
                client_id=client,
                kind="meeting",
                happened_on=day,
                duration_minutes=45,
                note="Tapaaminen.",
                register="employment",
                organisation_id=organisation,
                author_id=worker,
            )
        if contact and (assessed or rng.random() < 0.1):
            started = contact
            stamp = self.at(started)
            done = self.at(assessed) if assessed else None
            t[Assessment].add(
                created_at=stamp,
                updated_at=done or stamp,
                case_id=case,
                client_id=client,
                kind="comprehensive",
                started_on=started,
                started_by_id=worker,
                conclusion="supported_employment" if assessed else "",
                concluded_on=assessed,
                concluded_at=done,
                concluded_by_id=worker if assessed else None,
            )
        gas: tuple[int, int, int, float | None, float | None] = (0, 0, 0, None, None)
        if contact and (plan or rng.random() < 0.1):
            stamp = self.at(plan or contact)
            plan_id = t[ServicePlan].add(
                created_at=stamp,
                updated_at=stamp,
                case_id=case,
                client_id=client,
                organisation_id=organisation,
                register="employment",
                created_by_id=worker,
            )
            version = t[PlanVersion].add(
                created_at=stamp,
                updated_at=stamp,
                plan_id=plan_id,
                number=1,
                status="agreed" if plan else "draft",
                created_by_id=worker,
                agreed_on=plan,
                agreement_method="in_person" if plan else "",
                agreed_by_id=worker if plan else None,
                agreed_at=stamp if plan else None,
            )
            if plan:
                goals = [
                    t[Goal].add(
                        created_at=stamp,
                        updated_at=stamp,
                        position=g,
                        version_id=version,
                        text="Tavoite.",
                        level_minus_2="-2",
                        level_minus_1="-1",
                        level_0="0",
                        level_plus_1="+1",
                        level_plus_2="+2",
                    )
                    for g in range(rng.randint(1, 3))
                ]
                held = plan
                reviews: list[float] = []
                met = 0
                for _r in range(rng.choice([0, 1, 1, 2, 2, 3])):
                    nxt = before_end(held + timedelta(days=rng.randint(30, 120)))
                    if nxt is None or nxt >= self.today:
                        break
                    held = nxt
                    score = round(35 + rng.random() * 25, 1)
                    when = self.at(held)
                    review = t[PlanReview].add(
                        created_at=when,
                        updated_at=when,
                        plan_id=plan_id,
                        version_id=version,
                        held_on=held,
                        t_score=score,
                        decision="continue",
                        recorded_by_id=worker,
                    )
                    levels = [rng.randint(-2, 2) for _g in goals]
                    for goal, level in zip(goals, levels, strict=True):
                        t[GoalRating].add(review_id=review, goal_id=goal, level=level)
                    reviews.append(score)
                    met = sum(1 for level in levels if level >= 0)
                if reviews:
                    gas = (len(goals), met, len(reviews), reviews[0], reviews[-1])
        services: list[dict[str, Any]] = []
        starts: list[date] = []
        if plan:
            for _n in range(rng.choice([0, 0, 1, 1, 1, 2])):
                services.append(self._referral(case, client, organisation, worker, plan, last, starts))
            if rng.random() < 0.2:
                services.append(self._placement(case, client, organisation, worker, plan, last, starts))
            if rng.random() < 0.05:  # a draft never sent: no fact
                stamp = self.at(plan)
                t[Referral].add(
                    created_at=stamp,
                    updated_at=stamp,
                    case_id=case,
                    client_id=client,
                    service_id=rng.choice(w.services),
                    reason="Ohjaus.",
                    organisation_id=organisation,
                    register="employment",
                    created_by_id=worker,
                    status=ReferralStatus.DRAFT,
                    status_changed_at=stamp,
                )
        ips = jobs = None
        if contact and rng.random() < 0.15:
            ips, jobs = self._ips(case, client, organisation, worker, contact, last)
        measures = []
        if contact and rng.random() < 0.3:
            measures = self._responses(case, client, organisation, worker, contact, last)
        referral_days = [s["sent_on"] for s in services if s["kind"] == ServiceKind.REFERRAL]
        sent = min(referral_days) if referral_days else None
        service = min(starts) if starts else None
        first_job, first_end, competitive = jobs or (None, None, None)
        fact = t[CaseFact].add(
            case_id=case,
            organisation_id=organisation,
            unit_id=unit,
            worker_id=personal,
            municipality=municipality,
            county=self.counties[municipality],
            source=source,
            age_band=age_band(
                identified.year - birth.year - ((identified.month, identified.day) < (birth.month, birth.day))
            ),
            identified_on=identified,
            first_contact_on=contact,
            assessment_on=assessed,
            plan_agreed_on=plan,
            referral_sent_on=sent,
            service_started_on=service,
            ips_entered_on=ips,
            job_started_on=first_job,
            job_ended_on=first_end,
            first_job_days=(first_end - first_job).days if first_job and first_end else None,
            competitive_job_on=competitive,
            closed_on=closed,
            outcome=outcome,
            days_to_contact=(contact - identified).days if contact else None,
            days_to_plan=(plan - identified).days if plan else None,
            days_to_service=(service - identified).days if service else None,
            days_to_job=(first_job - identified).days if first_job else None,
            gas_goals=gas[0],
            gas_goals_met=gas[1],
            gas_reviews=gas[2],
            t_score_first=gas[3],
            t_score_latest=gas[4],
            refreshed_at=opened_at,
        )
        for row in services:
            t[ServiceFact].add(fact_id=fact, **row)
        for row in measures:
            t[MeasureFact].add(fact_id=fact, **row)
