"""Two years of history for the Oulu manager: a few hundred synthetic cases that moved through the
steps (contacts, assessments, agreed plans, referrals, closings) owned by history personal workers of
their own unit, the wellbeing services county of the demo municipalities, and some targets. The rows are
written in bulk with their past dates (the services stamp today's date), then refreshed into facts.
Nobody logs in as the history workers, and the demo worker's caseload stays as the other demos made it.
Deterministic; runs once (the history unit is the marker)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Role, Unit, User
from polku.assessments.choices import AssessmentConclusion, AssessmentKind
from polku.assessments.models import Assessment
from polku.clients import identity
from polku.clients.models import (
    Case,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    CaseStatusChange,
    CaseWorkerChange,
    Client,
    Contact,
    Municipality,
)
from polku.core import search
from polku.core.seeding import DemoContext
from polku.insights import services
from polku.insights.models import CountyMunicipality, Target
from polku.network.models import Referral, ReferralStatus, Service
from polku.plans.models import PlanVersion, PlanVersionStatus, ServicePlan

HISTORY_UNIT = "Työllisyyspalvelut, työkykytiimi (historia)"
COUNTIES = {
    "564": "Pohjois-Pohjanmaa",
    "139": "Pohjois-Pohjanmaa",
    "425": "Pohjois-Pohjanmaa",
    "494": "Pohjois-Pohjanmaa",
    "859": "Pohjois-Pohjanmaa",
    "049": "Länsi-Uusimaa",
    "698": "Lappi",
}
# Oulu's clients mostly live in Oulu; a few in the neighbouring municipalities (small cells on purpose).
HOMES = ["564"] * 30 + ["139", "425", "494", "859"]
CASES = 420
WORKERS = 14
OUTCOMES = [
    (CaseOutcome.OPEN_MARKET_PART_TIME, 10),
    (CaseOutcome.OPEN_MARKET_FULL_TIME, 6),
    (CaseOutcome.WAGE_SUBSIDY, 9),
    (CaseOutcome.STUDIES, 12),
    (CaseOutcome.REHABILITATION, 14),
    (CaseOutcome.DISABILITY_BENEFIT, 5),
    (CaseOutcome.OTHER_SERVICES, 8),
    (CaseOutcome.MOVED_AWAY, 2),
    (CaseOutcome.CONTACT_LOST, 3),
]
SOURCES = [
    (CaseSource.REGISTRY_SCREENING, 40),
    (CaseSource.REFERRAL, 25),
    (CaseSource.SELF_REFERRAL, 10),
    (CaseSource.KELA, 8),
    (CaseSource.EMPLOYMENT_SERVICES, 17),
]
REFERRAL_ENDS = [
    (ReferralStatus.COMPLETED, 45),
    (ReferralStatus.STARTED, 20),
    (ReferralStatus.DISCONTINUED, 8),
    (ReferralStatus.DECLINED, 7),
    (ReferralStatus.DID_NOT_ATTEND, 5),
    (ReferralStatus.SENT, 8),
    (ReferralStatus.ACCEPTED, 7),
]


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _identity_code(n: int, birth: date) -> str:
    individual = 2 + (n * 11) % 898
    digits = f"{birth:%d%m%y}{individual:03d}"
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(digits) % 31]
    return f"{birth:%d%m%y}{'-' if birth.year < 2000 else 'A'}{individual:03d}{check}"


def seed(ctx: DemoContext) -> None:
    for code, county in COUNTIES.items():
        if Municipality.objects.filter(code=code).exists():
            CountyMunicipality.objects.get_or_create(municipality_id=code, defaults={"county": county})
    oulu = Organisation.objects.filter(name="Oulun kaupunki").first()
    manager = Membership.objects.filter(user__email="manager@oulu.polku.example").first()
    if oulu is None or manager is None or Unit.objects.filter(organisation=oulu, name=HISTORY_UNIT).exists():
        return
    unit = Unit.objects.create(organisation=oulu, name=HISTORY_UNIT)
    rng = random.Random(22)  # noqa: S311 - synthetic data, not secrets
    today = timezone.localdate()
    workers = []
    for n in range(WORKERS):
        user = User.objects.create_user(
            f"history{n + 1}@oulu.polku.example",
            None,
            first_name=ctx.faker.first_name(),
            last_name=ctx.faker.last_name(),
        )
        workers.append(
            Membership.objects.create(
                user=user, unit=unit, role=Role.PERSONAL_WORKER, valid_from=today - timedelta(days=800)
            )
        )
    # Workers carry different loads: the first few many cases, the last few only a handful.
    weights = [14, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 2, 1]
    clients, cases = [], []
    for n in range(CASES):
        opened = today - timedelta(days=int(730 * (1 - (n / CASES) ** 1.2)))
        birth = date(1962 + rng.randrange(38), 1 + rng.randrange(12), 1 + rng.randrange(28))
        code = _identity_code(9000 + n, birth)
        first_names, last_name = ctx.faker.first_name(), ctx.faker.last_name()
        clients.append(
            Client(
                identity_code_encrypted=identity.encrypt(code),
                identity_code_hash=identity.lookup_hash(code),
                identity_code_masked=identity.mask(code),
                first_names=first_names,
                last_name=last_name,
                # bulk_create does not call Client.save(), which keeps the folded name for search.
                search_name=search.fold(f"{first_names} {last_name}"),
                birth_date=birth,
                sex=rng.choice(["female", "male"]),
                municipality_id=rng.choice(HOMES),
                created_by=manager,
                # Bulk history no service writes: each row carries its own time (core.models).
                created_at=_moment(opened),
                updated_at=_moment(opened),
            )
        )
        cases.append((opened, rng.choices(workers, weights)[0]))
    existing = set(
        Client.objects.filter(identity_code_hash__in=[c.identity_code_hash for c in clients]).values_list(
            "identity_code_hash", flat=True
        )
    )
    kept = [
        (client, case)
        for client, case in zip(clients, cases, strict=True)
        if client.identity_code_hash not in existing
    ]
    Client.objects.bulk_create([client for client, _case in kept])
    saved = {
        c.identity_code_hash: c
        for c in Client.objects.filter(identity_code_hash__in=[c.identity_code_hash for c, _x in kept])
    }
    case_rows = []
    for client, (opened, worker) in kept:
        age = (today - opened).days
        closed = None
        outcome = ""
        if age > 120 and rng.random() < 0.55:
            closed = opened + timedelta(days=rng.randint(90, min(age, 540)))
            outcome = _pick(rng, OUTCOMES)
        case_rows.append(
            Case(
                client=saved[client.identity_code_hash],
                unit=unit,
                source=_pick(rng, SOURCES),
                opened_on=opened,
                opened_by=worker,
                personal_worker=worker,
                status=CaseStatus.CLOSED if closed else CaseStatus.ACTIVE_SERVICES,
                status_changed_at=_moment(closed) if closed else _moment(opened) + timedelta(days=14),
                closed_on=closed,
                outcome=outcome,
                created_at=_moment(opened),
                updated_at=_moment(closed or opened),
            )
        )
    Case.objects.bulk_create(case_rows)
    made = list(Case.objects.filter(unit=unit).select_related("client", "personal_worker"))
    # Every case carries the history rows the services write: identified when opened, then in services,
    # and closed when it was; the personal worker from the start.
    statuses, worker_changes = [], []
    for case in made:
        assert case.personal_worker is not None
        opened_at = _moment(case.opened_on)
        statuses.append(
            CaseStatusChange(case=case, status=CaseStatus.IDENTIFIED, at=opened_at, by=case.personal_worker)
        )
        statuses.append(
            CaseStatusChange(
                case=case,
                status=CaseStatus.ACTIVE_SERVICES,
                previous_status=CaseStatus.IDENTIFIED,
                at=opened_at + timedelta(days=14),
                by=case.personal_worker,
            )
        )
        if case.closed_on:
            statuses.append(
                CaseStatusChange(
                    case=case,
                    status=CaseStatus.CLOSED,
                    previous_status=CaseStatus.ACTIVE_SERVICES,
                    at=_moment(case.closed_on),
                    by=case.personal_worker,
                )
            )
        worker_changes.append(
            CaseWorkerChange(case=case, worker=case.personal_worker, at=opened_at, by=case.personal_worker)
        )
    CaseStatusChange.objects.bulk_create(statuses)
    CaseWorkerChange.objects.bulk_create(worker_changes)
    services_catalogue = list(Service.objects.select_related("category").order_by("id")[:12])
    contacts, assessments, plans, referrals = [], [], [], []
    plan_dates: dict[int, date] = {}
    for case in made:
        end = case.closed_on or today
        assert case.personal_worker is not None
        worker = case.personal_worker

        def within(low: int, high: int, case: Case = case, end: date = end) -> date | None:
            day = case.opened_on + timedelta(days=rng.randint(low, high))
            return day if day <= end else None

        if (first := within(1, 35)) and rng.random() < 0.9:
            contacts.append(
                Contact(
                    case=case,
                    client=case.client,
                    kind="meeting",
                    happened_on=first,
                    note="Alkutapaaminen",
                    register="employment",
                    organisation=oulu,
                    author=worker,
                    created_at=_moment(first),
                    updated_at=_moment(first),
                )
            )
        if (concluded := within(25, 110)) and rng.random() < 0.5:
            assessments.append(
                Assessment(
                    case=case,
                    client=case.client,
                    kind=AssessmentKind.COMPREHENSIVE,
                    started_on=concluded - timedelta(days=20),
                    started_by=worker,
                    conclusion=rng.choice(list(AssessmentConclusion)),
                    concluded_on=concluded,
                    concluded_at=_moment(concluded),
                    concluded_by=worker,
                    created_at=_moment(concluded - timedelta(days=20)),
                    updated_at=_moment(concluded),
                )
            )
        if (agreed := within(20, 120)) and rng.random() < 0.65:
            plan_dates[case.pk] = agreed
        if services_catalogue and (sent := within(30, 150)) and rng.random() < 0.6:
            status = _pick(rng, REFERRAL_ENDS)
            answered = sent + timedelta(days=rng.randint(1, 20))
            started = (
                answered + timedelta(days=rng.randint(3, 40))
                if status in (ReferralStatus.STARTED, ReferralStatus.COMPLETED, ReferralStatus.DISCONTINUED)
                else None
            )
            service = rng.choice(services_catalogue)
            referrals.append(
                Referral(
                    case=case,
                    client=case.client,
                    service=service,
                    reason="Palvelutarve",
                    organisation=oulu,
                    register="employment",
                    created_by=worker,
                    status=status,
                    sent_at=_moment(sent),
                    answered_at=_moment(answered) if status != ReferralStatus.SENT else None,
                    accepted_at=_moment(answered)
                    if status not in (ReferralStatus.SENT, ReferralStatus.DECLINED)
                    else None,
                    started_at=_moment(started) if started else None,
                    days_to_start=(started - sent).days if started else None,
                    status_changed_at=_moment(started or answered if status != ReferralStatus.SENT else sent),
                    created_at=_moment(sent),
                    updated_at=_moment(started or answered if status != ReferralStatus.SENT else sent),
                )
            )
    Contact.objects.bulk_create(contacts)
    Assessment.objects.bulk_create(assessments)
    Referral.objects.bulk_create(referrals)
    by_id = {case.pk: case for case in made}
    ServicePlan.objects.bulk_create(
        [
            ServicePlan(
                case=by_id[pk],
                client=by_id[pk].client,
                organisation=oulu,
                register="employment",
                created_by=by_id[pk].personal_worker,
                created_at=_moment(plan_dates[pk]),
                updated_at=_moment(plan_dates[pk]),
            )
            for pk in plan_dates
        ]
    )
    plan_of = dict(ServicePlan.objects.filter(case_id__in=plan_dates).values_list("case_id", "id"))
    plans = [
        PlanVersion(
            plan_id=plan_of[pk],
            number=1,
            status=PlanVersionStatus.AGREED,
            created_by=by_id[pk].personal_worker,
            agreed_on=day,
            agreement_method="in_person",
            agreed_by=by_id[pk].personal_worker,
            agreed_at=_moment(day),
            created_at=_moment(day),
            updated_at=_moment(day),
        )
        for pk, day in plan_dates.items()
    ]
    PlanVersion.objects.bulk_create(plans)
    services.refresh_all()  # the other demos' cases too
    year = today.year
    for indicator, value, note in (
        ("plans", 200, "Suunnitelmat: kaupungin tavoite"),
        ("assessments", 150, "Työkyvyn arvioinnit"),
        ("cases_opened", 260, ""),
    ):
        Target.objects.get_or_create(
            organisation=oulu,
            indicator=indicator,
            starts_on=date(year, 1, 1),
            defaults={"ends_on": date(year, 12, 31), "value": value, "note": note, "set_by": manager},
        )
    ctx.stdout.write(f"insights: {len(made)} history cases for Oulu's figures")
