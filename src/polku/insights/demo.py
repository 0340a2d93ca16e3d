"""Two years of history for the Oulu manager: a few hundred synthetic cases that moved through the
steps (contacts, assessments, agreed plans, referrals, closings) owned by history personal workers of
their own unit, the wellbeing services county of the demo municipalities, and some targets. Every row is
written by the services, as a worker would, each step inside `core.story_time.happened_at` on its day of
the story, so that everything the services stamp (the steps' times, history rows, timeline entries,
audit events) carries the story's date. Then refreshed into facts and roll-ups. Nobody logs in as the
history workers, and the demo worker's caseload stays as the other demos made it. Deterministic; runs
once (the history unit is the marker)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Role, Unit, User
from polku.assessments import conclusion as assessment_conclusion
from polku.assessments import selectors as assessment_selectors
from polku.assessments import services as assessments
from polku.assessments.choices import AssessmentConclusion, AssessmentKind
from polku.clients import services as clients
from polku.clients.demo_people import HISTORY_INDIVIDUALS, identity_code
from polku.clients.models import CaseOutcome, CaseSource, Municipality
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.insights import services
from polku.insights.models import CountyMunicipality, Target
from polku.network import services as network
from polku.network.models import ReferralStatus, Service
from polku.plans import services as plans

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


def _identity_code(n: int, birth: date) -> str:
    """The history's people have individual numbers of their own, so none is a story's client, a
    registry extract's person or a bench's bulk client."""
    low, high = HISTORY_INDIVIDUALS
    return identity_code(birth, low + n % (high - low + 1))


# The referral's path to each end state (the first step is sending).
PATHS = {
    ReferralStatus.SENT: [],
    ReferralStatus.ACCEPTED: [ReferralStatus.ACCEPTED],
    ReferralStatus.DECLINED: [ReferralStatus.DECLINED],
    ReferralStatus.STARTED: [ReferralStatus.ACCEPTED, ReferralStatus.STARTED],
    ReferralStatus.COMPLETED: [ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.COMPLETED],
    ReferralStatus.DISCONTINUED: [
        ReferralStatus.ACCEPTED,
        ReferralStatus.STARTED,
        ReferralStatus.DISCONTINUED,
    ],
    ReferralStatus.DID_NOT_ATTEND: [ReferralStatus.ACCEPTED, ReferralStatus.DID_NOT_ATTEND],
}
REASON = "Asiakkaan tilanne muuttui."


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
    homes = {m.code: m for m in Municipality.objects.filter(code__in=set(HOMES))}
    # Services of providers outside Polku: the sending worker records the provider's answers.
    catalogue = list(Service.objects.filter(unit__isnull=True).select_related("category").order_by("id")[:12])
    made = 0
    for n in range(CASES):
        opened = today - timedelta(days=int(730 * (1 - (n / CASES) ** 1.2)))
        birth = date(1962 + rng.randrange(38), 1 + rng.randrange(12), 1 + rng.randrange(28))
        home = homes.get(rng.choice(HOMES))
        worker = rng.choices(workers, weights)[0]
        if home is None:
            continue
        with story_time.happened_at(story_time.on_day(opened, 9)):
            new = clients.create_client(
                by=worker,
                identity_code=_identity_code(n, birth),
                source=_pick(rng, SOURCES),
                opened_on=opened,
                first_names=ctx.faker.first_name(),
                last_name=ctx.faker.last_name(),
                municipality=home,
            )
        if new.client_existed:
            continue
        made += 1
        _story(rng, new.case, worker, today, catalogue)
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
    ctx.stdout.write(f"insights: {made} history cases for Oulu's figures")


def _story(rng: random.Random, case: Any, worker: Membership, today: date, catalogue: list[Service]) -> None:
    """One case's path through the services, each step on its day (the same draws as before, in order)."""
    age = (today - case.opened_on).days
    closed, outcome = None, ""
    if age > 120 and rng.random() < 0.55:
        closed = case.opened_on + timedelta(days=rng.randint(90, min(age, 540)))
        outcome = _pick(rng, OUTCOMES)
    end = closed or today

    def within(low: int, high: int) -> date | None:
        day = case.opened_on + timedelta(days=rng.randint(low, high))
        return day if day <= end else None

    def on(day: date, hour: int = 10) -> Any:
        return story_time.happened_at(story_time.on_day(day, hour))

    if (first := within(1, 35)) and rng.random() < 0.9:
        with on(first):
            clients.record_contact(
                case=case,
                by=worker,
                kind="meeting",
                happened_on=first,
                note="Alkutapaaminen",
                register="employment",
            )
    if (concluded := within(25, 110)) and rng.random() < 0.5:
        started = max(case.opened_on, concluded - timedelta(days=20))
        with on(started):
            assessment = assessments.start_assessment(
                case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE, started_on=started
            )
            assessments.record_meeting(
                assessment=assessment,
                by=worker,
                held_on=started,
                participants="Asiakas, omatyöntekijä",
                client_view="Haluan löytää sopivan työn.",
            )
        with on(concluded, 14):
            assessment_conclusion.conclude_assessment(
                assessment=assessment,
                by=worker,
                conclusion=rng.choice(list(AssessmentConclusion)),
                summary="Työkyky arvioitu monialaisesti.",
                concluded_on=concluded,
                empty_domains_confirmed=assessment_selectors.empty_domains(assessment),
            )
    if (agreed := within(20, 120)) and rng.random() < 0.65:
        with on(agreed, 9):
            plan = plans.start_plan(case=case, by=worker)
            version = plan.versions.get()
            plans.save_goal(
                version=version,
                by=worker,
                text="Työkyvyn ja arjen tuki työhön paluuta varten",
                level_minus_2="Ei muutosta",
                level_minus_1="Pieni edistys",
                level_0="Sovittu taso",
                level_plus_1="Enemmän kuin sovittu",
                level_plus_2="Paljon enemmän kuin sovittu",
                baseline_level=-1,
                weight=1,
            )
            plans.agree_version(version=version, by=worker, agreed_on=agreed, method="in_person")
    if catalogue and (sent := within(30, 150)) and rng.random() < 0.6:
        status = _pick(rng, REFERRAL_ENDS)
        answered = sent + timedelta(days=rng.randint(1, 20))
        started_on = answered + timedelta(days=rng.randint(3, 40))
        service = rng.choice(catalogue)
        with on(sent):
            referral = network.refer(case=case, service=service, by=worker, reason="Palvelutarve")
            network.send(referral=referral, by=worker)
        # Each answer on its day, never after today or the closing.
        days = [answered, started_on, started_on + timedelta(days=rng.randint(20, 90))]
        for step, day in zip(PATHS[ReferralStatus(status)], days, strict=False):
            if day > end:
                break
            with on(day, 11):
                referral = network.move(referral=referral, to=step, by=worker, reason=REASON)
    if closed:
        with on(closed, 15):
            clients.close_case(case=case, outcome=outcome, by=worker, closed_on=closed)
