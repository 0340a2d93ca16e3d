"""Demo placements for `manage.py seed_demo`: two of the Oulu personal worker's clients are in a work
placement, one in a work trial at Merikosken Kahvila (a host in Polku, with its work trial host's
account) and one in rehabilitative work activity at Polun Tuki ry's workshop. Both have their past
weeks' attendance, and the café has given its mid-term feedback. Through the services, so audit and
timeline entries are as the app writes them. The café's work trial host (host@kahvila.polku.example,
accounts.demo) lands on /placements/hosted/ and enters the trial's attendance."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from polku.accounts.models import Membership, Unit
from polku.clients.demo import OULU_WORKER
from polku.clients.models import Case
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.placements import selectors, services
from polku.placements.models import FeedbackStage, Placement

SEED = 6  # a fixed seed: the same demo every time


def seed(ctx: DemoContext) -> None:
    worker = (
        Membership.objects.active()
        .filter(user__email=OULU_WORKER)
        .select_related("unit__organisation", "user")
        .first()
    )
    cafe = Unit.objects.filter(organisation__name="Merikosken Kahvila Oy", name="Kahvila").first()
    workshop = Unit.objects.filter(organisation__name="Polun Tuki ry").first()
    if worker is None or cafe is None or workshop is None:
        return
    cases = list(
        Case.objects.filter(personal_worker=worker, closed_on__isnull=True)
        .select_related("client", "unit__organisation")
        .order_by("client__last_name", "client__first_names", "id")[2:4]
    )
    if len(cases) < 2 or Placement.objects.filter(case__in=cases).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    today = timezone.localdate()
    # The first goal of the work trial serves the first goal of the client's agreed plan, if any.
    plan_goals = selectors.plan_goals_for(cases[0], viewer=worker).goals
    # Agreed a week before each starts; the attendance entered yesterday; the feedback mid-way.
    with story_time.happened_at(story_time.on_day(today - timedelta(days=42), 10)):
        trial = services.create_placement(
            case=cases[0],
            by=worker,
            kind="work_trial",
            host_unit=cafe,
            supervisor_name="Kaisa Kahvinen",
            supervisor_email="kaisa.kahvinen@kahvila.example",
            supervisor_phone="040 000 1234",
            tasks="Asiakaspalvelu tiskillä, astianpesu ja salin siistiminen.",
            starts_on=today - timedelta(days=35),
            ends_on=today + timedelta(days=49),
            days_per_week=3,
            hours_per_day=Decimal(4),
            goals=[
                services.GoalRow(
                    "Jaksaa neljän tunnin työpäivät kolmesti viikossa", plan_goals[0] if plan_goals else None
                ),
                "Oppii kassajärjestelmän käytön",
            ],
        )
    with story_time.happened_at(story_time.on_day(today - timedelta(days=28), 14)):
        activity = services.create_placement(
            case=cases[1],
            by=worker,
            kind="rehabilitative_work",
            host_unit=workshop,
            supervisor_name="Veli Verstas",
            supervisor_email="veli.verstas@poluntuki.example",
            tasks="Puutyöt ja kierrätysmateriaalin lajittelu.",
            starts_on=today - timedelta(days=21),
            ends_on=today + timedelta(days=70),
            days_per_week=2,
            hours_per_day=Decimal(4),
            goals=["Säännöllinen päivärytmi"],
        )
    for placement, weekdays in ((trial, (0, 1, 3)), (activity, (1, 3))):
        days = {}
        day = placement.starts_on
        while day < today:
            if day.weekday() in weekdays:
                days[day] = rng.choices(
                    ["present", "absent_notice", "absent_no_notice", "sick"], weights=[85, 6, 3, 6]
                )[0]
            day += timedelta(days=1)
        with story_time.happened_at(story_time.on_day(today - timedelta(days=1), 15)):
            services.record_attendance(placement=placement, by=worker, days=days)
    with story_time.happened_at(story_time.on_day(today - timedelta(days=12), 9)):
        sent = services.send_feedback_request(
            placement=trial,
            by=worker,
            stage=FeedbackStage.MID_TERM,
            email=trial.supervisor_email,
            build_url=lambda token: "",
            deliver=False,
        )
    with story_time.happened_at(story_time.on_day(today - timedelta(days=10), 16)):
        services.submit_feedback(
            request=sent.request,
            ratings={
                "attendance": 4,
                "instructions": 4,
                "pace": 3,
                "quality": 4,
                "cooperation": 5,
                "endurance": 3,
                "learning": 4,
                "initiative": None,
            },
            strengths="Ystävällinen asiakkaita kohtaan, oppii nopeasti.",
            to_develop="Työtahti kiireisinä aamuina; tauotus.",
            recommendation="more_demanding",
            recommendation_note="Voisi kokeilla viiden tunnin päiviä.",
            given_by="Kaisa Kahvinen",
        )
    ctx.stdout.write("Demo placements: a work trial with mid-term feedback and rehabilitative work activity.")
