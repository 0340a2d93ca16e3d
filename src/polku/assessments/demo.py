"""Demo work ability assessments for `manage.py seed_demo`: in three of the Oulu personal worker's
cases whose team the county's nurse is on, one concluded assessment and two in progress. The county's
psychologist joins the team of the comprehensive ones for the psychological domain, so the concluded
one covers every domain. Written through the services (history, timeline and audit as the app writes
them) at the dates of the story (`core.story_time`), once: nothing is added when the worker's cases
already have assessments."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.assessments import conclusion, services
from polku.assessments.choices import AssessmentKind, Domain
from polku.assessments.models import Assessment
from polku.clients import services as client_services
from polku.clients.demo import OULU_NURSE, OULU_PSYCHOLOGIST, OULU_WORKER
from polku.clients.models import Case
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.instruments import selectors as instrument_selectors

CASES = 3


def seed(ctx: DemoContext) -> None:
    staff = {
        m.user.email: m
        for m in Membership.objects.active()
        .filter(user__email__in=[OULU_WORKER, OULU_NURSE, OULU_PSYCHOLOGIST])
        .select_related("user", "unit__organisation")
    }
    worker, nurse = staff.get(OULU_WORKER), staff.get(OULU_NURSE)
    psychologist = staff.get(OULU_PSYCHOLOGIST)
    if worker is None or nurse is None or psychologist is None:
        return
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(
            personal_worker=worker,
            closed_on__isnull=True,
            team__membership=nurse,
            team__ended_on__isnull=True,
            team__started_on__lte=today,
        )
        .select_related("client", "unit__organisation")
        .order_by("client__last_name", "client__first_names", "id")
        .distinct()[:CASES]
    )
    if not cases or Assessment.objects.filter(case__personal_worker=worker).exists():
        return
    for index, case in enumerate(cases):
        started_on = max(case.opened_on, today - timedelta(days=40 - index * 10))

        def on(days: int, hour: int, started_on: date = started_on) -> Any:
            """What follows happened `days` after the start (never after today), at `hour`."""
            return story_time.happened_at(
                story_time.on_day(min(today, started_on + timedelta(days=days)), hour)
            )

        with on(0, 9):
            assessment = services.start_assessment(
                case=case,
                by=worker,
                kind=AssessmentKind.COMPREHENSIVE if index != 2 else AssessmentKind.FOCUSED,
                question="Millainen työ sopii nyt, ja mitä tukea työhön paluu tarvitsee?",
                started_on=started_on,
            )
            services.invite_to_assessment(
                assessment=assessment, member=nurse, domain=Domain.SOMATIC, by=worker
            )
            if assessment.kind == AssessmentKind.COMPREHENSIVE:
                client_services.add_team_member(
                    case=case,
                    member=psychologist,
                    by=worker,
                    responsibility="Psykologinen arvio",
                    started_on=started_on,
                )
                services.invite_to_assessment(
                    assessment=assessment, member=psychologist, domain=Domain.PSYCHOLOGICAL, by=worker
                )
        with on(1, 13):
            services.record_finding(
                assessment=assessment,
                by=worker,
                domain=Domain.VOCATIONAL,
                text="Pitkä kokemus varastotyöstä ja asiakaspalvelusta; trukkikortti voimassa. "
                "Tietotekniikan perustaidot hyvät.",
                icf_codes=["d845", "d850"],
            )
        if index == 2:
            continue  # just started: the nurse's findings are still to come
        with on(4, 10):
            services.record_finding(
                assessment=assessment,
                by=nurse,
                domain=Domain.SOMATIC,
                text="Alaselkäkipua pitkään seistessä ja nostaessa; kävelee 2 km ilman taukoa. "
                "Verenpaine hoitotasolla.",
                icf_codes=["b28013", "b455", "d430"],
                responses=_readable_phq9(case, nurse),
            )
        with on(6, 14):
            services.record_finding(
                assessment=assessment,
                by=worker,
                domain=Domain.SOCIAL,
                text="Asuu yksin, läheinen ystäväpiiri. Velat maksusuunnitelmassa.",
                icf_codes=["e310", "d870"],
            )
        if index == 1:
            continue  # in progress: the psychologist's findings and the team meeting are still to come
        with on(9, 11):
            services.record_finding(
                assessment=assessment,
                by=psychologist,
                domain=Domain.PSYCHOLOGICAL,
                text="Mieliala lievästi laskenut, keskittyminen riittää puolen päivän työhön. "
                "Kognitiivisessa seulassa ei poikkeavaa.",
                icf_codes=["b130", "b140"],
            )
        with on(14, 12):
            services.record_meeting(
                assessment=assessment,
                by=worker,
                held_on=min(today, started_on + timedelta(days=14)),
                participants="Asiakas, omatyöntekijä, sairaanhoitaja, psykologi",
                client_view="Haluan takaisin töihin, mutta en koko päiväksi seisomaan. "
                "Asiakaspalvelu kiinnostaa.",
            )
        with on(15, 10):
            conclusion.conclude_assessment(
                assessment=assessment,
                by=worker,
                conclusion="open_market_adjusted",
                summary="Työkyky riittää kevyeen asiakaspalvelutyöhön, jossa voi vaihtaa asentoa. "
                "Selkäkipu hoidetaan fysioterapiassa.",
                recommendations=["Työkokeilu asiakaspalvelussa", "Fysioterapia selkäkivulle"],
                concluded_on=min(today, started_on + timedelta(days=15)),
            )
    concluded = Assessment.objects.filter(case__in=cases, concluded_at__isnull=False).count()
    ctx.stdout.write(f"Demo assessments: {len(cases)} ({concluded} concluded).")


def _readable_phq9(case: Case, nurse: Membership) -> list:
    """The case's latest PHQ-9 answer, when the nurse may read it (under the client's consent)."""
    responses = [
        r
        for r in instrument_selectors.responses_in_case(case, viewer=nurse)
        if r.is_completed and r.version.instrument.code == "phq9"
    ]
    return [r for r in responses[:1] if permissions.can(nurse, "response.view", r)]
