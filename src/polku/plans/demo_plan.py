"""Demo service plans for `manage.py seed_demo`: five of the Oulu personal worker's clients have a plan
agreed with them, two goals each in their own words with GAS levels and actions; most have had a
review or two, one client's plan is being revised (a draft version 2), and one review is overdue so
that the caseload shows the flag. Through the services (history rows, timeline and audit as the app
writes them); the dates are the story's, within each case."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from polku.accounts.models import Membership
from polku.clients.demo import OULU_WORKER
from polku.clients.models import Case
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.plans import services
from polku.plans.models.plan import ServicePlan

CLIENTS = 5

GOALS = [
    (
        "Haluan päästä työkokeiluun, mieluiten keittiöön tai kahvilaan.",
        [
            "En ole hakenut työkokeilua",
            "Olen käynyt tutustumassa kahteen paikkaan",
            "Työkokeilu on alkanut",
            "Työkokeilu on jatkunut yli kuukauden",
            "Minulle on tarjottu palkkatukityötä",
        ],
        [("Etsitään työkokeilupaikka yhdessä", "worker", ""), ("Käyn tutustumassa paikkoihin", "client", "")],
    ),
    (
        "Haluan jaksaa arjessa paremmin ja nukkua yöt.",
        [
            "Nukun huonosti lähes joka yö",
            "Nukun huonosti useimpina öinä",
            "Nukun hyvin ainakin puolet öistä",
            "Nukun hyvin useimpina öinä",
            "Nukun hyvin ja jaksan harrastaa",
        ],
        [("Terveystarkastus työttömille", "team_member", "Terveydenhoitaja")],
    ),
    (
        "Haluan selvittää, millainen työ sopii selkäni kanssa.",
        [
            "En tiedä, mitä voisin tehdä",
            "Olen puhunut asiasta lääkärin kanssa",
            "Minulla on arvio työkyvystäni",
            "Tiedän kaksi sopivaa ammattia",
            "Olen hakenut koulutukseen",
        ],
        [("Ammatillinen kuntoutusselvitys", "external", "Kela")],
    ),
]


def seed(ctx: DemoContext) -> None:
    worker = (
        Membership.objects.active()
        .filter(user__email=OULU_WORKER)
        .select_related("unit__organisation")
        .first()
    )
    if worker is None:
        return
    cases = list(
        Case.objects.filter(personal_worker=worker, closed_on__isnull=True)
        .select_related("client", "unit__organisation")
        .order_by("client__last_name", "client__first_names", "id")[:CLIENTS]
    )
    if not cases or ServicePlan.objects.filter(case__in=cases).exists():
        return
    today = timezone.localdate()
    for index, case in enumerate(cases):
        span = (today - case.opened_on).days
        if span < 30:
            continue
        # Drafted with the client a week before it was agreed, agreed on its day, reviewed on theirs.
        agreed_on = case.opened_on + timedelta(days=min(20, span // 4))
        with story_time.happened_at(
            story_time.on_day(max(case.opened_on, agreed_on - timedelta(days=7)), 10)
        ):
            plan = services.start_plan(case=case, by=worker)
            draft = plan.versions.get()
            services.update_draft(
                version=draft,
                by=worker,
                summary="Olen ollut pitkään työttömänä. Haluaisin takaisin töihin, mutta en vielä "
                "kokoaikaisesti.",
                review_interval_weeks=8 if index != 3 else 4,
            )
            goals = []
            for text, levels, actions in (GOALS[index % 3], GOALS[(index + 1) % 3]):
                goal = services.save_goal(
                    version=draft,
                    by=worker,
                    text=text,
                    level_minus_2=levels[0],
                    level_minus_1=levels[1],
                    level_0=levels[2],
                    level_plus_1=levels[3],
                    level_plus_2=levels[4],
                    baseline_level=-1,
                    weight=1,
                )
                for what, responsible, name in actions:
                    services.save_action(
                        goal=goal,
                        by=worker,
                        what=what,
                        responsible=responsible,
                        responsible_name=name if responsible == "team_member" else "",
                        service_name=name if responsible == "external" else None,
                        due_on=today + timedelta(days=30 + 7 * index),
                        status="in_progress",
                    )
                goals.append(goal)
        with story_time.happened_at(story_time.on_day(agreed_on, 14)):
            services.agree_version(version=draft, by=worker, agreed_on=agreed_on, method="in_person")
        # Reviews on the rhythm so far, the levels rising over time; the fourth client has had none yet, and
        # reviews fall due or overdue on the caseload.
        reviews = 0 if index == 3 else min(2, (today - agreed_on).days // 56)
        for step in range(reviews):
            held_on = agreed_on + timedelta(weeks=8 * (step + 1))
            if held_on > today:
                break
            attained = {goals[0].pk: min(2, step + (index % 2)), goals[1].pk: min(2, step - 1 + (index % 2))}
            with story_time.happened_at(story_time.on_day(held_on, 13)):
                services.record_review(
                    plan=plan,
                    by=worker,
                    held_on=held_on,
                    levels=attained,
                    decision="continue",
                    notes="Käytiin tavoitteet läpi yhdessä.",
                )
        if index == 1:
            with story_time.happened_at(story_time.earlier_today(10)):  # revised with the client today
                services.start_revision(plan=plan, by=worker)
    ctx.stdout.write(f"Demo service plans: {ServicePlan.objects.filter(case__in=cases).count()}.")
