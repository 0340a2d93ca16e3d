"""One demo client's path told through the services (`Story`), each step at its moment of the story
(`core.story_time.happened_at`): the services read the time from that clock, so every row, history row,
timeline entry and audit event carries the story's date. The texts are shared with the benchmark's bulk
seeder (`bench/scale_seed`)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from polku.accounts.demo import MEMBERSHIPS_FROM
from polku.accounts.models import Membership, Organisation, Role
from polku.clients import selectors, services
from polku.clients.demo_people import office_hours
from polku.clients.models import (
    Case,
    CaseSource,
    CaseStatus,
    CaseTeamMember,
    Client,
    ConsentMethod,
    ContactKind,
    Register,
)
from polku.core import story_time

OPEN_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]

SOURCES = [
    (CaseSource.REGISTRY_SCREENING, 30),
    (CaseSource.EMPLOYMENT_SERVICES, 30),
    (CaseSource.REFERRAL, 20),
    (CaseSource.SELF_REFERRAL, 12),
    (CaseSource.KELA, 8),
]
NOTES: dict[str, list[str]] = {
    Register.EMPLOYMENT: [
        "Käytiin läpi työhistoria ja toiveet. Kiinnostus osa-aikatyöhön kiinteistöhuollossa tai varastossa.",
        "Työkokeilun tavoitteet sovittu: työaika aluksi neljä tuntia päivässä, kolme päivää viikossa.",
        "Työnhakuprofiili päivitetty; sovittu yhteydenotot kahteen työnantajaan ensi viikolla.",
        "Palkkatuen mahdollisuus käyty läpi; asiakas haluaa ensin kokeilla kuntouttavaa työtoimintaa.",
        "Työnantajan palaute työkokeilusta hyvä: täsmällinen, tarvitsee selkeät ohjeet uusiin tehtäviin.",
    ],
    Register.SOCIAL: [
        "Keskusteltu toimeentulosta ja asumisesta; ohjattu hakemaan perustoimeentulotukea Kelasta.",
        "Velkaneuvonnan ajanvaraus tehty yhdessä asiakkaan kanssa.",
        "Arjen rytmi ja tukiverkosto puheeksi; sovittu kuntouttavan työtoiminnan tutustumiskäynti.",
        "Asiakas kertoo jaksamisen parantuneen; yhteydenpito omaisiin lisääntynyt.",
    ],
    Register.HEALTH: [
        "Työttömän terveystarkastus: verenpaine koholla, ohjattu lääkärin vastaanotolle.",
        "Selkäkipu rajoittaa pitkää seisomista; fysioterapeutin arvio sovittu.",
        "Uni ja mieliala puheeksi; ohjattu mielenterveyspalveluihin, lähete tehty.",
        "Lääkärin lausunto työkyvystä pyydetty kuntoutusselvitystä varten.",
        "Kontrollikäynti: verenpaine tasaantunut lääkityksellä, liikuntasuunnitelma tehty.",
    ],
}
NEXT_STEPS = [
    "Tilannekartoitus asiakkaan kanssa",
    "Terveystarkastus työttömien terveyspalveluissa",
    "Monialainen työkyvyn arviointi",
    "Asiakassuunnitelman laatiminen",
    "Suunnitelman tarkistus",
    "Työkokeilun aloituspalaveri",
    "Kuntoutusselvityksen lähete Kelaan",
    "Seurantatapaaminen",
]
RESPONSIBILITIES: dict[str, str] = {
    Role.NURSE: "Terveydentilan arviointi ja hoitoon ohjaus",
    Role.JOB_COACH: "Työnhaku ja työhönvalmennus (IPS)",
    Role.SOCIAL_WORKER: "Toimeentulo ja asuminen",
    Role.PSYCHOLOGIST: "Psykologinen arvio",
    Role.PHYSIOTHERAPIST: "Fyysisen toimintakyvyn arvio",
    Role.PHYSICIAN: "Lääketieteellinen arvio",
    Role.OCCUPATIONAL_THERAPIST: "Toimintakyvyn arvio arjessa",
}
PARTICIPANTS: dict[str, str] = {
    Register.EMPLOYMENT: "asiakas, omatyöntekijä",
    Register.SOCIAL: "asiakas, omatyöntekijä",
    Register.HEALTH: "asiakas, terveydenhoitaja",
}


class Story:
    """One client's path told through the services, each step at its moment of the story."""

    def __init__(self, by: Membership, rng: random.Random) -> None:
        self.by, self.rng = by, rng
        self.client: Client
        self.case: Case
        self.last = datetime(2000, 1, 1, tzinfo=UTC)

    def _at(self, on: date) -> datetime:
        """A time on the day; later than the previous event when that was on the same day."""
        moment = office_hours(on, self.rng)
        if moment.date() == self.last.date() and moment <= self.last:
            moment = self.last + timedelta(minutes=7)
        self.last = max(self.last, moment)
        return moment

    def register(
        self, *, code: str, opened_on: date, source: str, from_elsewhere: str = "", **details: Any
    ) -> None:
        """Register the client with their first case here; `from_elsewhere` (a reason): the person is
        another organisation's client, opened through break-the-glass and then a case of its own, as a
        worker does it (`services.open_case_from_break_glass`)."""
        self.last = datetime(2000, 1, 1, tzinfo=UTC)
        moment = self._at(opened_on)
        with story_time.happened_at(moment):
            if from_elsewhere:
                client = selectors.find_client_by_identity_code(code)
                assert client is not None
                services.break_glass(client=client, by=self.by, reason=from_elsewhere)
                self.client = client
                self.case = services.open_case_from_break_glass(
                    client=client, by=self.by, source=source, opened_on=opened_on, reason=from_elsewhere
                )
            else:
                result = services.create_client(
                    by=self.by, identity_code=code, source=source, opened_on=opened_on, **details
                )
                self.client, self.case = result.client, result.case

    def move_to(self, on: date, **details: Any) -> None:
        moment = self._at(on)
        with story_time.happened_at(moment):
            services.update_client(client=self.client, by=self.by, **details)

    def status(self, status: str, on: date) -> None:
        moment = self._at(on)
        with story_time.happened_at(moment):
            self.case = services.change_status(case=self.case, status=status, by=self.by)

    def team(self, member: Membership, on: date) -> None:
        moment = self._at(on)
        with story_time.happened_at(moment):
            services.add_team_member(
                case=self.case,
                member=member,
                by=self.by,
                responsibility=RESPONSIBILITIES[member.role],
                started_on=on,
            )

    def contact(self, on: date, *, by: Membership | None = None, register: str = Register.EMPLOYMENT) -> None:
        author = by or self.by
        kind = self.rng.choice([ContactKind.MEETING] * 3 + [ContactKind.PHONE, ContactKind.VIDEO])
        moment = self._at(on)
        with story_time.happened_at(moment):
            services.record_contact(
                case=self.case,
                by=author,
                kind=kind,
                happened_on=on,
                note=self.rng.choice(NOTES[register]),
                register=register,
                duration_minutes=self.rng.choice([15, 30, 45, 60, 90]) if kind != ContactKind.PHONE else 15,
                participants=PARTICIPANTS[register],
            )

    def next_step(self, on: date, due_on: date, step: str) -> None:
        moment = self._at(on)
        with story_time.happened_at(moment):
            services.plan_next_step(case=self.case, step=step, due_on=due_on, by=self.by)

    def consent(
        self,
        *,
        by: Membership,
        recipient: Organisation,
        health: bool,
        on: date,
        until: date | None = None,
        revoke: bool = False,
    ) -> None:
        """Health records from the wellbeing services county to the city (recorded by the county's
        nurse), or the city's social and employment records to the county (by the worker): the
        organisation holding the records records the consent. A revocation takes effect today."""
        moment = self._at(on)
        with story_time.happened_at(moment):
            consent = services.record_consent(
                client=self.client,
                by=by,
                discloser=by.unit.organisation,
                recipient=recipient,
                purpose="Työkyvyn arviointi ja palvelupolun suunnittelu",
                valid_from=on,
                valid_until=until,
                method=self.rng.choice([ConsentMethod.WRITTEN, ConsentMethod.ELECTRONIC]),
                covers_health=health,
                covers_social=not health,
                covers_employment=not health,
            )
        if revoke:  # told to the personal worker today: a revocation takes effect today
            with story_time.happened_at(story_time.earlier_today()):
                services.revoke_consent(
                    consent=consent,
                    by=self.by,
                    revoked_on=timezone.localdate(),
                    note="Asiakas perui suostumuksen.",
                )

    def close(self, outcome: str, on: date) -> None:
        moment = self._at(on)
        with story_time.happened_at(moment):
            self.case = services.close_case(case=self.case, outcome=outcome, by=self.by, closed_on=on)
        CaseTeamMember.objects.filter(case=self.case, ended_on__gt=on).update(ended_on=on)


def story_days(rng: random.Random, stage: int, today: date) -> tuple[date, list[date]]:
    """The opening date and one date for each later status, oldest first, never before the demo
    memberships began."""
    span = min(20 + 45 * stage + rng.randint(0, 40), (today - MEMBERSHIPS_FROM).days - 1)
    opened = today - timedelta(days=span)
    offsets = sorted(rng.sample(range(1, span), stage)) if stage else []
    return opened, [opened + timedelta(days=d) for d in offsets]


MOVED_HERE = "Asiakas muutti Ouluun ja jatkaa työkykypalveluja täällä; tiedot tarvitaan jatkoon."


def tell(
    story: Story,
    *,
    code: str,
    details: dict[str, Any],
    status: str,
    today: date,
    nurse: Membership | None = None,
    coach: Membership | None = None,
    consent: str = "",
    due_in: int | None = None,
    existing: bool = False,
    move: dict[str, Any] | None = None,
) -> None:
    """An open case from its opening to `status`, with its team, contacts, consents and next step."""
    rng = story.rng
    yesterday = today - timedelta(days=1)
    stage = OPEN_STATUSES.index(status)
    opened, changes = story_days(rng, stage, today)
    source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
    story.register(
        code=code,
        opened_on=opened,
        source=source,
        # A client of another organisation who moved here: break-the-glass, then a case of its own.
        from_elsewhere=MOVED_HERE if move else "",
        **({} if existing else details),
    )
    if move:
        story.move_to(opened, **move)
    story.contact(opened, register=Register.EMPLOYMENT)
    joined: dict[str, date] = {}
    for new_status, on in zip(OPEN_STATUSES[1 : stage + 1], changes, strict=True):
        story.status(new_status, on)
        if new_status == CaseStatus.SCREENING and nurse is not None:
            story.team(nurse, on)
            joined["nurse"] = on
            story.contact(
                min(on + timedelta(days=rng.randint(3, 12)), yesterday), by=nurse, register=Register.HEALTH
            )
            consent_in_state(story, nurse, consent, on, today)
        elif new_status == CaseStatus.PLANNING and coach is not None:
            story.team(coach, on)
            joined["coach"] = on
        elif rng.random() < 0.6:
            story.contact(on, register=rng.choice([Register.EMPLOYMENT, Register.SOCIAL]))
    if "coach" in joined and stage >= OPEN_STATUSES.index(CaseStatus.ACTIVE_SERVICES):
        story.contact(between(rng, joined["coach"], yesterday), by=coach, register=Register.EMPLOYMENT)
    if "nurse" in joined and stage >= 2:
        story.contact(between(rng, joined["nurse"], yesterday), by=nurse, register=Register.HEALTH)
    if due_in is not None:
        due = today + timedelta(days=due_in)
        planned = (
            min(due - timedelta(days=7), yesterday)
            if due_in < 0
            else between(rng, today - timedelta(days=10), yesterday)
        )
        step = NEXT_STEPS[min(stage + rng.randint(0, 2), len(NEXT_STEPS) - 1)]
        story.next_step(max(planned, opened), due, step)


def between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def consent_in_state(story: Story, nurse: Membership, kind: str, on: date, today: date) -> None:
    """Consents in every state, so what they let the worker see differs from client to client."""
    city, county = story.by.unit.organisation, nurse.unit.organisation
    if kind == "valid":
        story.consent(by=nurse, recipient=city, health=True, on=on, until=on + timedelta(days=730))
    elif kind == "expired":
        until = min(on, today - timedelta(days=2))
        story.consent(by=nurse, recipient=city, health=True, on=story.case.opened_on, until=until)
    elif kind == "revoked":
        story.consent(by=nurse, recipient=city, health=True, on=on, revoke=True)
    elif kind == "both":
        story.consent(by=nurse, recipient=city, health=True, on=on)
        story.consent(by=story.by, recipient=county, health=False, on=on)


def closed_story(story: Story, code: str, details: dict[str, Any], outcome: str, closed_on: date) -> None:
    rng = story.rng
    opened = max(closed_on - timedelta(days=rng.randint(150, 300)), MEMBERSHIPS_FROM + timedelta(days=1))
    story.register(code=code, opened_on=opened, source=CaseSource.EMPLOYMENT_SERVICES, **details)
    story.contact(opened)
    step = (closed_on - opened).days // 6
    for index, status in enumerate(OPEN_STATUSES[1:], start=1):
        story.status(status, opened + timedelta(days=step * index - 1))
        if rng.random() < 0.5:
            story.contact(opened + timedelta(days=step * index), register=Register.EMPLOYMENT)
    story.close(outcome, closed_on)


# Oulu: 30 open cases over every status, and 4 closed ones with outcomes.
