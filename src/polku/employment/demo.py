"""Demo IPS for `manage.py seed_demo`: the Oulu job coach (coach@oulu.polku.example) with 15 of the
Oulu personal worker's clients in IPS in every phase, 20 employers (the three of accounts.demo and 17
more) with face-to-face and other contacts over the last 12 weeks, 30 openings (half part-time), 6 job
starts (one ended) and two fidelity reviews half a year apart. Through the services, so audit, history
and timeline entries are as the app writes them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from polku.accounts.demo import synthetic_business_id
from polku.accounts.models import Membership, Organisation, OrganisationKind
from polku.clients import services as client_services
from polku.clients.demo import OULU_COACH, OULU_WORKER
from polku.clients.models import Case, Municipality
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.employment import services
from polku.employment.models import Adjustment, IpsPeriod, Phase

SEED = 23
PHASES = [Phase.ENGAGEMENT] * 4 + [Phase.JOB_SEARCH] * 4 + [Phase.WORKING] * 5 + [Phase.CLOSED] * 2
EMPLOYERS = [
    "Oulun Leipomo Oy",
    "Rotuaarin Kirja Oy",
    "Nallikarin Puutarha Oy",
    "Pohjolan Siivous Oy",
    "Tuiran Autokorjaamo Oy",
    "Limingan Logistiikka Oy",
    "Kastellin Kauppa Oy",
    "Hietasaaren Hotelli Oy",
    "Toppilan Tietotekniikka Oy",
    "Raksilan Ravintola Oy",
    "Oulujoen Kiinteistöt Oy",
    "Kaakkurin Hoiva Oy",
    "Pateniemen Paino Oy",
    "Myllytullin Metalli Oy",
    "Intiön Kierrätys Oy",
    "Höyhtyän Kukka Oy",
    "Ruskon Rakennus Oy",
]
TITLES = {
    "food": ["Keittiöapulainen", "Tarjoilija", "Leipomotyöntekijä"],
    "cleaning": ["Siivooja", "Kiinteistönhoitaja"],
    "sales": ["Myyjä", "Hyllyttäjä"],
    "logistics": ["Varastotyöntekijä", "Lähetti"],
    "office": ["Asiakaspalvelija", "Toimistoavustaja"],
    "outdoors": ["Puutarhatyöntekijä"],
    "manufacturing": ["Kokoonpanija"],
    "it": ["IT-tukihenkilö"],
    "care": ["Hoiva-avustaja"],
}


def seed(ctx: DemoContext) -> None:
    coach = (
        Membership.objects.active()
        .filter(user__email=OULU_COACH)
        .select_related("unit__organisation")
        .first()
    )
    worker = (
        Membership.objects.active()
        .filter(user__email=OULU_WORKER)
        .select_related("unit__organisation")
        .first()
    )
    if coach is None or worker is None or IpsPeriod.objects.filter(coach=coach).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(
            personal_worker=worker, closed_on__isnull=True, opened_on__lte=today - timedelta(days=60)
        )
        .select_related("client", "unit__organisation")
        .order_by("client__last_name", "client__first_names", "id")[: len(PHASES)]
    )
    employers = _employers()
    oulu = Municipality.objects.filter(code="564").first()
    places = [m for m in Municipality.objects.filter(code__in=["564", "244", "425", "139"])]
    if oulu is None:
        return

    def at(day: date, hour: int = 10) -> Any:
        """The coach's work on the day of the story (today's: earlier today)."""
        moment = story_time.on_day(day, hour)
        return story_time.happened_at(moment if day < today else story_time.earlier_today(hour))

    openings = []
    for n in range(30):
        field = rng.choice(list(TITLES))
        part_time = n % 2 == 0
        low = rng.choice([8, 10, 15, 20]) if part_time else 37
        with at(today - timedelta(days=60 - 2 * n)):
            opening = services.opening_save(
                by=coach,
                employer=employers[n % len(employers)],
                title=rng.choice(TITLES[field]),
                tasks="",
                job_field=field,
                hours_min=low,
                hours_max=low + (10 if part_time else 3),
                adjustments=rng.sample(Adjustment.values, k=rng.randint(0, 3)),
                municipality=rng.choice(places) if places else oulu,
                wage_type=rng.choice(["competitive"] * 4 + ["wage_subsidised"]),
                starts_on=None,
                status="open" if n < 26 else "filled",
            )
        openings.append(opening)
    periods = []
    jobs_started = 0
    for case, phase in zip(cases, PHASES, strict=False):
        entered = max(
            case.opened_on,
            today
            - timedelta(days=rng.randint(20, 50) if phase == Phase.ENGAGEMENT else rng.randint(70, 300)),
        )
        with at(entered, 9):
            if not case.team.filter(membership=coach, ended_on__isnull=True).exists():
                client_services.add_team_member(case=case, member=coach, by=worker, started_on=case.opened_on)
            period = services.ips_enter(case=case, by=coach, on=entered, wish="Haluan oikeisiin töihin.")
        periods.append(period)
        fields = rng.sample(list(TITLES), k=2)
        with at(entered + timedelta(days=3)):
            services.profile_save(
                period=period,
                by=coach,
                municipalities=[oulu],
                work_history="Aiempaa kokemusta kaupan ja palvelualan töistä.",
                education="Ammatillinen perustutkinto",
                job_fields=fields,
                hours_min=rng.choice([8, 10, 15]),
                hours_max=rng.choice([20, 25, 30]),
                strengths="Täsmällinen, hyvä asiakaspalvelija",
                adjustments=rng.sample(Adjustment.values, k=rng.randint(0, 2)),
                disclosure=rng.choice(["none", "partial", "full"]),
            )
        if phase == Phase.ENGAGEMENT:
            continue
        with at(entered + timedelta(days=10), 13):
            services.ips_change_phase(
                period=period, by=coach, phase=Phase.JOB_SEARCH, on=entered + timedelta(days=10)
            )
        with at(entered + timedelta(days=14), 14):
            services.counselling_record(
                period=period,
                by=coach,
                reason="start",
                offered_on=entered + timedelta(days=7),
                given_on=entered + timedelta(days=14),
                given_by="Kelan etuusneuvoja",
                questions="Osa-aikatyön vaikutus työttömyysetuuteen ja asumistukeen",
            )
        if phase in (Phase.WORKING, Phase.CLOSED) and jobs_started < 6:
            field = fields[0]
            with at(entered + timedelta(days=40), 9):
                job = services.job_start(
                    period=period,
                    by=coach,
                    employer=employers[jobs_started * 3 % len(employers)],
                    title=TITLES[field][0],
                    job_field=field,
                    hours_per_week=Decimal(rng.choice([10, 15, 20, 25])),
                    wage_type="competitive" if jobs_started != 2 else "wage_subsidised",
                    starts_on=entered + timedelta(days=40),
                )
            jobs_started += 1
            for week in range(0, (today - job.starts_on).days // 14):
                on = job.starts_on + timedelta(days=7 + 14 * week)
                if on <= today and (phase != Phase.WORKING or week % 3 or on > today - timedelta(days=28)):
                    with at(on, 11):
                        services.follow_along_record(period=period, by=coach, on=on, note="Kuulumiset työstä")
            if jobs_started == 1 and job.starts_on + timedelta(days=45) <= today:  # an end already past
                with at(job.starts_on + timedelta(days=45), 15):
                    services.job_end(
                        job=job,
                        by=coach,
                        ends_on=job.starts_on + timedelta(days=45),
                        reason="temporary_ended",
                    )
        if phase == Phase.CLOSED:
            with at(today - timedelta(days=5), 12):
                services.ips_change_phase(
                    period=period,
                    by=coach,
                    phase=Phase.CLOSED,
                    on=today - timedelta(days=5),
                    handover="Työterveyshuolto ja esihenkilö jatkavat tukea; asiakas voi palata IPS:ään.",
                )
    searching = list(IpsPeriod.objects.filter(pk__in=[p.pk for p in periods], phase=Phase.JOB_SEARCH))
    for week in range(12):
        for n in range(rng.randint(3, 7)):
            on = today - timedelta(days=7 * week + rng.randint(0, 4))
            seekers = rng.sample(searching, k=min(len(searching), rng.randint(0, 2)))
            with at(on, 9 + n):
                services.employer_contact_record(
                    employer=rng.choice(employers),
                    by=coach,
                    on=on,
                    face_to_face=n % 4 != 3,
                    purpose=rng.choice(["learn_needs", "present", "follow_up"]),
                    job_seekers=seekers,
                )
    for n, opening in enumerate(openings[:6]):
        if searching:
            with at(today - timedelta(days=n), 14):
                services.discussion_record(
                    period=searching[n % len(searching)],
                    opening=opening,
                    by=coach,
                    decision=rng.choice(["thinking", "apply", "declined"]),
                    on=today - timedelta(days=n),
                )
    for when, base in ((today - timedelta(days=182), 3), (today - timedelta(days=2), 4)):
        scores = {item: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for item in range(1, 26)}
        with at(when, 15):
            services.review_record(
                by=coach,
                reviewed_on=when,
                reviewers="Kalle Kataja, ulkoinen arvioija",
                scores=scores,
                evidence={1: "Asiakasmäärä Polusta", 17: "Kontaktiloki"},
            )
    ctx.stdout.write(
        f"Demo IPS: {len(periods)} clients, {len(employers)} employers, 30 openings, "
        f"{jobs_started} job starts"
    )


def _employers() -> list[Organisation]:
    found = list(Organisation.objects.filter(kind=OrganisationKind.EMPLOYER).order_by("name")[:3])
    for n, name in enumerate(EMPLOYERS):
        employer, _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": OrganisationKind.EMPLOYER,
                "business_id": synthetic_business_id(2_300_000 + 17 * n),
                "municipality_code": "564",
            },
        )
        found.append(employer)
    return found[:20]
