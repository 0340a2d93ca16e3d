"""Demo clients for `manage.py seed_demo`, and synthetic clients in bulk for benchmarks (`--scale N`).

The demo caseloads (about 30 open cases for the Oulu personal worker, about 10 for the Espoo one) go
through the real services, so history rows, timeline entries and audit events are exactly what the
application writes. Services stamp "now"; a demo that shows months of work moves the history rows and
timeline entries to the story's dates afterwards. Audit events keep the time they were written: the
hash chain orders them by time, and the log must say when the seeder wrote them.

`--scale N` adds N clients with about 50 rows each through COPY (PostgreSQL) or batched inserts,
row for row what the services would have written; see `_ScaleSeeder`.
"""

from __future__ import annotations

import hashlib
import json
import math
import queue
import random
import threading
import time as clock
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from polku.accounts.demo import MEMBERSHIPS_FROM, synthetic_business_id
from polku.accounts.models import Membership, Organisation, OrganisationKind, Role, Unit, User
from polku.audit.models import AuditEvent, AuditSeal, ChainHead
from polku.audit.services import seal_pending
from polku.clients import identity, services
from polku.clients.models import (
    Case,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    ConsentMethod,
    Contact,
    ContactChannel,
    ContactKind,
    Municipality,
    Register,
    TimelineEntry,
)
from polku.core.seeding import DemoContext

OULU_WORKER = "worker@oulu.polku.example"
OULU_NURSE = "nurse@oulu.polku.example"
OULU_COACH = "coach@oulu.polku.example"
ESPOO_WORKER = "worker@espoo.polku.example"
SCALE_DOMAIN = "scale.polku.example"

OPEN_STATUSES = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Individual numbers: the demo's stories use 002-399 and the bulk clients 400-899, so no two collide.
DEMO_INDIVIDUALS = (2, 399)
SCALE_INDIVIDUALS = (400, 899)

OTHER_LANGUAGES = ["somali", "arabia", "dari", "venäjä", "kurdi (sorani)", "ukraina", "tigrinja", "viro"]
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


def seed(ctx: DemoContext) -> None:
    started = clock.monotonic()
    cast = _Cast.load()
    if cast is None:
        ctx.stdout.write("Demo clients: the demo accounts are missing; skipped.")
        return
    rng = random.Random(ctx.faker.random.random())  # noqa: S311 - synthetic data, not secrets
    created = _espoo_stories(ctx, cast, rng) + _oulu_stories(ctx, cast, rng)
    if created:
        ctx.stdout.write(f"Demo clients: {created} cases in {clock.monotonic() - started:.1f} s.")
    if ctx.scale:
        _ScaleSeeder(ctx).run()


# --- Identity codes, names and dates ------------------------------------------------------------------


def identity_code(birth_date: date, individual: int) -> str:
    """A valid personal identity code (the check character is the 9 digits modulo 31)."""
    sign = "-" if birth_date.year < 2000 else "A"
    digits = f"{birth_date:%d%m%y}{individual:03d}"
    return f"{birth_date:%d%m%y}{sign}{individual:03d}{CHECK_CHARACTERS[int(digits) % 31]}"


def _demo_person(rng: random.Random, faker: Any, *, min_age: int = 19, max_age: int = 63) -> tuple[str, str]:
    """(identity code, sex) of a person of working age today."""
    today = timezone.localdate()
    birth = today - timedelta(days=rng.randint(min_age * 365 + 10, max_age * 365))
    individual = rng.randint(*DEMO_INDIVIDUALS)
    return identity_code(birth, individual), "male" if individual % 2 else "female"


def _moment(on: date, rng: random.Random) -> datetime:
    """A time during office hours on the day, in Helsinki."""
    minutes = rng.randint(8 * 60 + 5, 15 * 60 + 50)
    return datetime.combine(on, time(minutes // 60, minutes % 60), tzinfo=timezone.get_current_timezone())


# --- Demo stories through the services -------------------------------------------------------------


@dataclass
class _Cast:
    worker: Membership
    nurse: Membership
    coach: Membership
    espoo: Membership

    @classmethod
    def load(cls) -> _Cast | None:
        found = {
            m.user.email: m
            for m in Membership.objects.active()
            .filter(user__email__in=[OULU_WORKER, OULU_NURSE, OULU_COACH, ESPOO_WORKER])
            .select_related("user", "unit__organisation")
        }
        if len(found) < 4:
            return None
        return cls(found[OULU_WORKER], found[OULU_NURSE], found[OULU_COACH], found[ESPOO_WORKER])


class _Story:
    """One client's path told through the services, with each history row moved to the story's date.

    Every service call adds one timeline entry; the story notes the date each should carry and
    `finish` moves them (and the case's status history) there in a few queries."""

    def __init__(self, by: Membership, rng: random.Random) -> None:
        self.by, self.rng = by, rng
        self.client: Client
        self.case: Case
        self.last = datetime(2000, 1, 1, tzinfo=UTC)
        self.moments: list[datetime | None] = []  # for the client's newest timeline entries, oldest first
        self.status_moments: list[datetime] = []  # for the case's status changes

    def _at(self, on: date) -> datetime:
        """A time on the day; later than the previous event when that was on the same day."""
        moment = _moment(on, self.rng)
        if moment.date() == self.last.date() and moment <= self.last:
            moment = self.last + timedelta(minutes=7)
        self.last = max(self.last, moment)
        return moment

    def _stamp(self, moment: datetime | None) -> None:
        self.moments.append(moment)

    def finish(self) -> None:
        entries = list(TimelineEntry.objects.filter(client=self.client).order_by("-id")[: len(self.moments)])
        for entry, moment in zip(reversed(entries), self.moments, strict=True):
            entry.at = moment or entry.at
        TimelineEntry.objects.bulk_update(entries, ["at"])
        changes = list(self.case.status_changes.order_by("id"))
        for change, moment in zip(changes, self.status_moments, strict=True):
            change.at = moment
        CaseStatusChange.objects.bulk_update(changes, ["at"])
        Case.objects.filter(pk=self.case.pk).update(status_changed_at=self.status_moments[-1])
        self.moments, self.status_moments = [], []

    def register(self, *, code: str, opened_on: date, source: str, **details: Any) -> None:
        result = services.create_client(
            by=self.by, identity_code=code, source=source, opened_on=opened_on, **details
        )
        self.client, self.case = result.client, result.case
        self.last = datetime(2000, 1, 1, tzinfo=UTC)
        moment = self._at(opened_on)
        CaseWorkerChange.objects.filter(case=self.case).update(at=moment)
        self.status_moments.append(moment)
        self._stamp(moment)

    def move_to(self, on: date, **details: Any) -> None:
        services.update_client(client=self.client, by=self.by, **details)
        self._stamp(self._at(on))

    def status(self, status: str, on: date) -> None:
        self.case = services.change_status(case=self.case, status=status, by=self.by)
        moment = self._at(on)
        self.status_moments.append(moment)
        self._stamp(moment)

    def team(self, member: Membership, on: date) -> None:
        services.add_team_member(
            case=self.case,
            member=member,
            by=self.by,
            responsibility=RESPONSIBILITIES[member.role],
            started_on=on,
        )
        self._stamp(self._at(on))

    def contact(self, on: date, *, by: Membership | None = None, register: str = Register.EMPLOYMENT) -> None:
        author = by or self.by
        kind = self.rng.choice([ContactKind.MEETING] * 3 + [ContactKind.PHONE, ContactKind.VIDEO])
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
        self._stamp(self._at(on))

    def next_step(self, on: date, due_on: date, step: str) -> None:
        services.plan_next_step(case=self.case, step=step, due_on=due_on, by=self.by)
        self._stamp(self._at(on))

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
        self._stamp(self._at(on))
        if revoke:  # told to the personal worker; the entry keeps the time it was written
            services.revoke_consent(
                consent=consent,
                by=self.by,
                revoked_on=timezone.localdate(),
                note="Asiakas perui suostumuksen.",
            )
            self._stamp(None)

    def close(self, outcome: str, on: date) -> None:
        self.case = services.close_case(case=self.case, outcome=outcome, by=self.by, closed_on=on)
        moment = self._at(on)
        self.status_moments.append(moment)
        CaseTeamMember.objects.filter(case=self.case, ended_on__gt=on).update(ended_on=on)
        self._stamp(moment)
        self.finish()


def _details(rng: random.Random, faker: Any, sex: str, municipality: str, trait: str = "") -> dict[str, Any]:
    first = faker.first_name_male() if sex == "male" else faker.first_name_female()
    if rng.random() < 0.4:
        second = faker.first_name_male() if sex == "male" else faker.first_name_female()
        first = f"{first} {second}" if second != first else first
    last = faker.last_name()
    postal, office = rng.choice(POSTAL_CODES.get(municipality, POSTAL_CODES["564"]))
    details: dict[str, Any] = {
        "first_names": first,
        "last_name": last,
        "municipality": Municipality.objects.get(code=municipality),
        "languages": ["fi"],
        "phone": f"04{rng.choice('0145')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "email": faker.safe_email() if rng.random() < 0.6 else "",
        "street_address": faker.street_address(),
        "postal_code": postal,
        "post_office": office,
        "preferred_contact_channel": rng.choice(
            [ContactChannel.PHONE, ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.EMAIL]
        ),
    }
    if trait == "swedish":
        details["languages"] = ["sv", "fi"]
    elif trait in {"other", "interpreter"}:
        language = rng.choice(OTHER_LANGUAGES)
        details["languages"] = ["other", "en"] if trait == "other" else ["other"]
        details["other_language"] = language
        if trait == "interpreter":
            details.update(needs_interpreter=True, interpreter_language=language)
    return details


POSTAL_CODES: dict[str, list[tuple[str, str]]] = {
    "564": [("90100", "OULU"), ("90120", "OULU"), ("90500", "OULU"), ("90570", "OULU"), ("90650", "OULU")],
    "244": [("90440", "KEMPELE")],
    "425": [("91900", "LIMINKA")],
    "494": [("91500", "MUHOS")],
    "139": [("91100", "II")],
    "049": [
        ("02100", "ESPOO"),
        ("02230", "ESPOO"),
        ("02320", "ESPOO"),
        ("02600", "ESPOO"),
        ("02770", "ESPOO"),
    ],
    "235": [("02700", "KAUNIAINEN")],
    "257": [("02400", "KIRKKONUMMI")],
    "698": [("96100", "ROVANIEMI"), ("96200", "ROVANIEMI"), ("96400", "ROVANIEMI")],
    "320": [("98100", "KEMIJÄRVI")],
    "859": [("91800", "TYRNÄVÄ")],
    "072": [("90480", "HAILUOTO")],
}


def _has_cases(membership: Membership) -> bool:
    return (
        Case.objects.filter(opened_by=membership).exists()
        or Case.objects.filter(personal_worker=membership).exists()
    )


def _story_days(rng: random.Random, stage: int, today: date) -> tuple[date, list[date]]:
    """The opening date and one date for each later status, oldest first, never before the demo
    memberships began."""
    span = min(20 + 45 * stage + rng.randint(0, 40), (today - MEMBERSHIPS_FROM).days - 1)
    opened = today - timedelta(days=span)
    offsets = sorted(rng.sample(range(1, span), stage)) if stage else []
    return opened, [opened + timedelta(days=d) for d in offsets]


def _tell(
    story: _Story,
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
    opened, changes = _story_days(rng, stage, today)
    source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
    story.register(code=code, opened_on=opened, source=source, **({} if existing else details))
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
            _consent(story, nurse, consent, on, today)
        elif new_status == CaseStatus.PLANNING and coach is not None:
            story.team(coach, on)
            joined["coach"] = on
        elif rng.random() < 0.6:
            story.contact(on, register=rng.choice([Register.EMPLOYMENT, Register.SOCIAL]))
    if "coach" in joined and stage >= OPEN_STATUSES.index(CaseStatus.ACTIVE_SERVICES):
        story.contact(_between(rng, joined["coach"], yesterday), by=coach, register=Register.EMPLOYMENT)
    if "nurse" in joined and stage >= 2:
        story.contact(_between(rng, joined["nurse"], yesterday), by=nurse, register=Register.HEALTH)
    if due_in is not None:
        due = today + timedelta(days=due_in)
        planned = (
            min(due - timedelta(days=7), yesterday)
            if due_in < 0
            else _between(rng, today - timedelta(days=10), yesterday)
        )
        step = NEXT_STEPS[min(stage + rng.randint(0, 2), len(NEXT_STEPS) - 1)]
        story.next_step(max(planned, opened), due, step)
    story.finish()


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _consent(story: _Story, nurse: Membership, kind: str, on: date, today: date) -> None:
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


def _espoo_stories(ctx: DemoContext, cast: _Cast, rng: random.Random) -> int:
    if _has_cases(cast.espoo):
        return 0
    today, faker = timezone.localdate(), ctx.faker
    statuses = [
        CaseStatus.IDENTIFIED,
        *[CaseStatus.SCREENING] * 2,
        *[CaseStatus.ASSESSMENT] * 2,
        *[CaseStatus.PLANNING] * 2,
        *[CaseStatus.ACTIVE_SERVICES] * 2,
        CaseStatus.FOLLOW_UP,
    ]
    for index, status in enumerate(statuses):
        code, sex = _demo_person(rng, faker)
        municipality = "049" if index % 4 else rng.choice(["235", "257"])
        trait = {3: "swedish", 6: "interpreter", 8: "other"}.get(index, "")
        _tell(
            _Story(cast.espoo, rng),
            code=code,
            details=_details(rng, faker, sex, municipality, trait),
            status=status,
            today=today,
            due_in=rng.randint(-20, 30) if index else None,
        )
    for outcome, days_ago in ((CaseOutcome.MOVED_AWAY, 160), (CaseOutcome.OPEN_MARKET_FULL_TIME, 45)):
        code, sex = _demo_person(rng, faker)
        story = _Story(cast.espoo, rng)
        _closed_story(
            story, code, _details(rng, faker, sex, "049"), outcome, today - timedelta(days=days_ago)
        )
    return len(statuses) + 2


def _closed_story(story: _Story, code: str, details: dict[str, Any], outcome: str, closed_on: date) -> None:
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
OULU_OPEN = (
    [CaseStatus.IDENTIFIED] * 4
    + [CaseStatus.SCREENING] * 5
    + [CaseStatus.ASSESSMENT] * 5
    + [CaseStatus.PLANNING] * 5
    + [CaseStatus.ACTIVE_SERVICES] * 7
    + [CaseStatus.FOLLOW_UP] * 4
)
OULU_TRAITS = {
    2: "interpreter",
    5: "swedish",
    9: "other",
    13: "interpreter",
    17: "swedish",
    21: "other",
    24: "interpreter",
    28: "swedish",
}
CONSENT_CYCLE = ["valid", "expired", "both", "revoked", "valid", ""]
OULU_CLOSED = [
    (CaseOutcome.OPEN_MARKET_PART_TIME, 20),
    (CaseOutcome.STUDIES, 75),
    (CaseOutcome.WAGE_SUBSIDY, 120),
    (CaseOutcome.REHABILITATION, 200),
]
OULU_MUNICIPALITIES = ["564"] * 8 + ["244", "425", "494", "139"]


def _oulu_stories(ctx: DemoContext, cast: _Cast, rng: random.Random) -> int:
    if _has_cases(cast.worker):
        return 0
    today, faker = timezone.localdate(), ctx.faker
    for outcome, days_ago in OULU_CLOSED:
        code, sex = _demo_person(rng, faker)
        story = _Story(cast.worker, rng)
        _closed_story(
            story, code, _details(rng, faker, sex, "564"), outcome, today - timedelta(days=days_ago)
        )
    moved = Case.objects.filter(opened_by=cast.espoo, outcome=CaseOutcome.MOVED_AWAY).select_related("client")
    mover = moved.first()
    nurse_cases = 0
    for index, status in enumerate(OULU_OPEN):
        story = _Story(cast.worker, rng)
        code, sex = _demo_person(rng, faker)
        details = _details(rng, faker, sex, rng.choice(OULU_MUNICIPALITIES), OULU_TRAITS.get(index, ""))
        stage = OPEN_STATUSES.index(status)
        nurse = cast.nurse if stage >= 1 and index % 2 == 0 else None
        consent = CONSENT_CYCLE[nurse_cases % len(CONSENT_CYCLE)] if nurse else ""
        nurse_cases += nurse is not None
        coach = cast.coach if stage >= 3 and index % 3 != 0 else None
        due_in = (
            None
            if stage == 0 and index % 2
            else (-rng.randint(2, 25) if index % 5 == 2 else rng.randint(1, 35))
        )
        existing, move = False, None
        if index == 7:  # a client who comes back: an earlier case closed, a new one opened
            _closed_story(story, code, details, CaseOutcome.OTHER_SERVICES, today - timedelta(days=150))
            existing = True
        elif index == 11 and mover is not None:  # moved from Espoo: the same person, a new case here
            code = identity.decrypt(mover.client.identity_code_encrypted)
            existing = True
            move = {k: details[k] for k in ("municipality", "street_address", "postal_code", "post_office")}
        _tell(
            story,
            code=code,
            details=details,
            status=status,
            today=today,
            nurse=nurse,
            coach=coach,
            consent=consent,
            due_in=due_in,
            existing=existing,
            move=move,
        )
    return len(OULU_OPEN) + len(OULU_CLOSED)


# --- Synthetic clients in bulk (`seed_demo --scale N`) -----------------------------------------------
# Row for row what the services write (case, status history, worker change, team periods including the
# personal worker's, contacts, consents, timeline entries, audit events), but written with COPY on
# PostgreSQL and batched inserts elsewhere. Ids are taken from the tables' sequences while the tables
# are locked against other writers; audit events are hashed in id order after the current chain head.

SCALE_BATCH = 2000
OPEN_CASES_PER_WORKER = 40
STATUS_WEIGHTS = [12, 14, 16, 16, 28, 14]  # identified … follow-up, of the open cases
CLOSED_OUTCOMES = [
    (CaseOutcome.OPEN_MARKET_FULL_TIME, 10),
    (CaseOutcome.OPEN_MARKET_PART_TIME, 14),
    (CaseOutcome.WAGE_SUBSIDY, 12),
    (CaseOutcome.STUDIES, 10),
    (CaseOutcome.REHABILITATION, 14),
    (CaseOutcome.DISABILITY_BENEFIT, 6),
    (CaseOutcome.OTHER_SERVICES, 14),
    (CaseOutcome.MOVED_AWAY, 6),
    (CaseOutcome.NO_LONGER_NEEDS_SUPPORT, 6),
    (CaseOutcome.CONTACT_LOST, 8),
]
# role, share of cases whose team it joins, the status from which it joins, clients per professional
PROFESSIONALS = [
    (Role.NURSE, 0.45, 1, 90),
    (Role.SOCIAL_WORKER, 0.25, 1, 60),
    (Role.PSYCHOLOGIST, 0.08, 2, 60),
    (Role.PHYSIOTHERAPIST, 0.06, 2, 60),
    (Role.PHYSICIAN, 0.05, 2, 150),
    (Role.OCCUPATIONAL_THERAPIST, 0.04, 2, 60),
    (Role.JOB_COACH, 0.15, 3, 18),
]
HEALTH_ROLES = {
    Role.NURSE,
    Role.PSYCHOLOGIST,
    Role.PHYSIOTHERAPIST,
    Role.PHYSICIAN,
    Role.OCCUPATIONAL_THERAPIST,
}
# Share of the clients (in tenths), city, wellbeing services county, municipalities of residence.
REGIONS = [
    (
        "oulu",
        7,
        "Oulun kaupunki",
        "Pohjois-Pohjanmaan hyvinvointialue",
        ["564"] * 14 + ["244", "425", "494", "139", "859", "072"],
    ),
    ("espoo", 2, "Espoon kaupunki", "Länsi-Uudenmaan hyvinvointialue", ["049"] * 8 + ["235", "257"]),
    ("rovaniemi", 1, "Rovaniemen kaupunki", "Lapin hyvinvointialue", ["698"] * 5 + ["320"]),
]
SCALE_FROM = date(2020, 1, 1)  # synthetic memberships are valid from here
BIRTHS_FROM, BIRTH_DAYS = date(1961, 6, 1), 16_790  # ages about 19 to 65
DEMO_HANDOVERS, DEMO_NURSE_TEAMS, DEMO_COACH_TEAMS = 15, 20, 6


class _Staff:
    __slots__ = (
        "email",
        "id",
        "name",
        "organisation_id",
        "public_id",
        "role",
        "unit_id",
        "unit_name",
        "user_id",
        "valid_from",
    )

    def __init__(self, m: Membership) -> None:
        self.id, self.public_id, self.user_id, self.role = m.pk, str(m.public_id), m.user_id, m.role
        self.email, self.name = m.user.email, str(m.user)
        self.unit_id, self.unit_name, self.organisation_id = m.unit_id, m.unit.name, m.unit.organisation_id
        self.valid_from = m.valid_from


@dataclass
class _Region:
    key: str
    city: Organisation
    county: Organisation
    municipalities: list[str]
    workers: list[_Staff]
    professionals: dict[str, list[_Staff]]


FIELDS: dict[type[Model], tuple[str, ...]] = {
    Client: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "identity_code_encrypted",
        "identity_code_hash",
        "identity_code_masked",
        "first_names",
        "last_name",
        "birth_date",
        "sex",
        "municipality_id",
        "languages",
        "other_language",
        "phone",
        "email",
        "street_address",
        "postal_code",
        "post_office",
        "preferred_contact_channel",
        "needs_interpreter",
        "interpreter_language",
        "created_by_id",
    ),
    Case: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "client_id",
        "unit_id",
        "source",
        "opened_on",
        "opened_by_id",
        "status",
        "status_changed_at",
        "personal_worker_id",
        "next_step",
        "next_step_on",
        "closed_on",
        "outcome",
    ),
    CaseStatusChange: ("id", "case_id", "status", "previous_status", "at", "by_id", "note", "cause"),
    CaseWorkerChange: ("id", "case_id", "worker_id", "previous_worker_id", "at", "by_id", "note"),
    CaseTeamMember: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "case_id",
        "membership_id",
        "role",
        "responsibility",
        "started_on",
        "ended_on",
        "added_by_id",
        "ended_by_id",
    ),
    Contact: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "case_id",
        "client_id",
        "kind",
        "happened_on",
        "duration_minutes",
        "participants",
        "note",
        "register",
        "organisation_id",
        "author_id",
    ),
    Consent: (
        "id",
        "public_id",
        "created_at",
        "updated_at",
        "client_id",
        "discloser_id",
        "recipient_id",
        "covers_social",
        "covers_health",
        "covers_employment",
        "purpose",
        "valid_from",
        "valid_until",
        "method",
        "witness",
        "recorded_by_id",
        "revoked_on",
        "revoked_by_id",
        "revoked_at",
        "revocation_note",
    ),
    TimelineEntry: (
        "id",
        "client_id",
        "case_id",
        "kind",
        "at",
        "actor_id",
        "organisation_id",
        "register",
        "object_type",
        "object_id",
        "params",
        "text",
    ),
    AuditEvent: (
        "id",
        "at",
        "actor_id",
        "actor_label",
        "membership_id",
        "organisation_id",
        "role",
        "action",
        "object_type",
        "object_id",
        "client_id",
        "reason",
        "request_id",
        "ip",
        "details",
        "prev_hash",
        "hash",
    ),
    AuditSeal: ("id", "event_id", "prev_hash", "hash", "sealed_at"),
}


class _Sink:
    """Writes rows with their ids: COPY on PostgreSQL, executemany elsewhere (SQLite in tests)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.next_id: dict[type[Model], int] = {}
        for model, names in FIELDS.items():
            actual = {f.attname for f in model._meta.concrete_fields}
            if actual != set(names):
                raise RuntimeError(
                    f"{model.__name__} fields changed: update FIELDS ({sorted(actual ^ set(names))})."
                )

    def lock(self) -> None:
        """No one else inserts into these tables until the seeding commits; then the ids are ours."""
        with connection.cursor() as cursor:
            if self.postgres:
                tables = ", ".join(model._meta.db_table for model in FIELDS)
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute(
                    "SET CONSTRAINTS ALL IMMEDIATE"
                )  # checked as written, not queued to the commit
            for model in FIELDS:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
                self.next_id[model] = cursor.fetchone()[0] + 1

    def take(self, model: type[Model]) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def write(self, model: type[Model], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        table, names = model._meta.db_table, FIELDS[model]
        by_name = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_name[n] for n in names]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            json_columns = {i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"}
            prepared = [
                [
                    f.get_db_prep_save(json.loads(v) if i in json_columns else v, connection)
                    for i, (f, v) in enumerate(zip(fields, row, strict=True))
                ]
                for row in rows
            ]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608

    def finish(self) -> None:
        """Move the sequences past the ids used, so the application's next inserts do not collide, and
        give the planner statistics: before autovacuum gets to them, it would guess thousands of rows
        per client and switch on JIT compilation (70 ms) for the client overview's queries."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model, value in self.next_id.items():
                table = model._meta.db_table
                cursor.execute(f"ANALYZE {table}")
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, (SELECT COALESCE(MAX(id), 1) FROM {table})))",  # noqa: S608,E501
                    [table, value - 1 if value > 1 else 1],
                )


class _ScaleSeeder:
    """N synthetic clients over many synthetic personal workers (about 40 open cases each)."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx, self.target = ctx, ctx.scale
        self.rng = random.Random(ctx.faker.random.random())  # noqa: S311 - synthetic data, not secrets
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.sink = _Sink()
        self.rows: dict[type[Model], list[tuple[Any, ...]]] = {model: [] for model in FIELDS}
        self.counts: dict[str, int] = {}
        self.write_seconds: dict[str, float] = {}
        faker = ctx.faker
        self.first_names = {
            "female": sorted({faker.first_name_female() for _ in range(400)}),
            "male": sorted({faker.first_name_male() for _ in range(400)}),
        }
        self.last_names = sorted({faker.last_name() for _ in range(1500)})
        self.streets = sorted({faker.street_name() for _ in range(600)})
        self.municipality_names = dict(Municipality.objects.values_list("code", "name_fi"))
        self.audit = AuditEvent()  # one instance, refilled for each hash

    def run(self) -> None:
        started = clock.monotonic()
        existing = Client.objects.filter(created_by__user__email__endswith=f"@{SCALE_DOMAIN}").count()
        if existing >= self.target:
            self.ctx.stdout.write(f"Synthetic clients: {existing} already there; nothing added.")
            return
        self._staff()
        seal_pending(wait=True, max_batches=None)  # and hold the sealer's lock until the seeding commits
        self.sink.lock()
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        self.prev_hash, self.chain_count = head.last_hash, head.count
        self.last_event_id = head.last_event_id
        self.audit_at = max(
            timezone.now(),
            AuditEvent.objects.order_by("-id").values_list("at", flat=True).first() or timezone.now(),
        ) + timedelta(milliseconds=1)
        self.demo_slots = self._demo_slots()
        self.ctx.stdout.write(
            f"Synthetic clients: {self.target - existing} to add to {existing}, "
            f"{sum(len(r.workers) for r in self.regions)} personal workers, {self.staff_count} staff in all."
        )
        # One thread makes the rows (no database access) while this one writes the previous batch, so
        # Python and PostgreSQL work at the same time.
        batches: queue.Queue[tuple[int, dict[type[Model], list[tuple[Any, ...]]]] | BaseException | None]
        batches = queue.Queue(maxsize=2)
        stop = threading.Event()
        producer = threading.Thread(target=self._produce, args=(existing, batches, stop), daemon=True)
        producer.start()
        try:
            while (item := batches.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                batch_end, rows = item
                self._flush(rows)
                elapsed = clock.monotonic() - started
                total = sum(self.counts.values())
                self.ctx.stdout.write(
                    f"  {batch_end}/{self.target} clients, {total:,} rows, {elapsed:.0f} s "
                    f"({total / elapsed:,.0f} rows/s)"
                )
        finally:
            stop.set()
            producer.join()
        self.sink.finish()
        ChainHead.objects.filter(pk=1).update(
            last_event_id=self.last_event_id, last_hash=self.prev_hash, count=self.chain_count
        )
        elapsed = clock.monotonic() - started
        total = sum(self.counts.values())
        added = self.target - existing
        self.ctx.stdout.write(
            f"Synthetic clients: {added} clients, {total:,} rows ({total / added:.1f} a client) "
            f"in {elapsed:.1f} s:"
        )
        for name, count in self.counts.items():
            self.ctx.stdout.write(f"  {name:<18} {count:>12,}  (written in {self.write_seconds[name]:.1f} s)")

    # --- Staff ---------------------------------------------------------------------------------------

    def _staff(self) -> None:
        """Units, users and memberships for the personal workers and team professionals that N clients
        need; created once, found again on the next run."""
        self.regions: list[_Region] = []
        wanted: list[tuple[Organisation, str, str, str]] = []  # organisation, unit name, role, email
        plans = []
        for key, tenths, city_name, county_name, municipalities in REGIONS:
            clients = math.ceil(self.target * tenths / 10)
            city = Organisation.objects.get(name=city_name)
            county = _organisation(county_name, OrganisationKind.WELLBEING_COUNTY)
            roles = [(Role.PERSONAL_WORKER, math.ceil(clients * 0.87 / OPEN_CASES_PER_WORKER))]
            roles += [(role, math.ceil(clients * share / load)) for role, share, _, load in PROFESSIONALS]
            for role, count in roles:
                organisation = county if role in HEALTH_ROLES or role == Role.SOCIAL_WORKER else city
                for n in range(count):
                    unit = _unit_name(role, n // 15 + 1)
                    wanted.append(
                        (
                            organisation,
                            unit,
                            role,
                            f"{role.replace('_', '')}.{key}.{n + 1:04d}@{SCALE_DOMAIN}",
                        )
                    )
            plans.append((key, city, county, municipalities))
        users = self._users([email for *_, email in wanted])
        units = {(o.pk, name): None for o, name, _, _ in wanted}
        found = {
            (u.organisation_id, u.name): u
            for u in Unit.objects.filter(
                organisation__in={o for o, *_ in wanted}, name__in={n for _, n, _, _ in wanted}
            )
        }
        Unit.objects.bulk_create([Unit(organisation_id=o, name=n) for o, n in units if (o, n) not in found])
        found = {
            (u.organisation_id, u.name): u
            for u in Unit.objects.filter(
                organisation__in={o for o, *_ in wanted}, name__in={n for _, n, _, _ in wanted}
            )
        }
        have = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
        Membership.objects.bulk_create(
            [
                Membership(user=users[email], unit=found[o.pk, unit], role=role, valid_from=SCALE_FROM)
                for o, unit, role, email in wanted
                if users[email].pk not in have
            ],
            batch_size=1000,
        )
        staff = [
            _Staff(m)
            for m in Membership.objects.filter(user__email__endswith=f"@{SCALE_DOMAIN}")
            .select_related("user", "unit")
            .order_by("user__email")
        ]
        self.staff_count = len(staff)
        for key, city, county, municipalities in plans:
            mine = [s for s in staff if f".{key}." in s.email]
            self.regions.append(
                _Region(
                    key,
                    city,
                    county,
                    municipalities,
                    workers=[s for s in mine if s.role == Role.PERSONAL_WORKER],
                    professionals={role: [s for s in mine if s.role == role] for role, *_ in PROFESSIONALS},
                )
            )
        demo = {
            m.user.email: _Staff(m)
            for m in Membership.objects.active()
            .select_related("user", "unit")
            .filter(user__email__in=[OULU_WORKER, OULU_NURSE, OULU_COACH])
        }
        self.demo = demo

    def _users(self, emails: list[str]) -> dict[str, User]:
        have = {u.email: u for u in User.objects.filter(email__in=emails)}
        new = []
        for email in emails:
            if email not in have:
                sex = self.rng.choice(["female", "male"])
                new.append(
                    User(
                        email=email,
                        first_name=self.rng.choice(self.first_names[sex]),
                        last_name=self.rng.choice(self.last_names),
                        password=make_password(None),
                    )
                )
        User.objects.bulk_create(new, batch_size=1000)
        return {u.email: u for u in User.objects.filter(email__in=emails)}

    def _demo_slots(self) -> dict[str, int]:
        """How many more bulk cases the demo accounts take, so the demo worker's caseload stays ~45."""
        scale_clients = Client.objects.filter(created_by__user__email__endswith=f"@{SCALE_DOMAIN}")
        worker = self.demo.get(OULU_WORKER)
        taken = {
            OULU_WORKER: Case.objects.filter(client__in=scale_clients, personal_worker_id=worker.id).count()
            if worker
            else 0,
            OULU_NURSE: CaseTeamMember.objects.filter(
                case__client__in=scale_clients, membership__user__email=OULU_NURSE
            ).count(),
            OULU_COACH: CaseTeamMember.objects.filter(
                case__client__in=scale_clients, membership__user__email=OULU_COACH
            ).count(),
        }
        limits = {OULU_WORKER: DEMO_HANDOVERS, OULU_NURSE: DEMO_NURSE_TEAMS, OULU_COACH: DEMO_COACH_TEAMS}
        return {email: max(limits[email] - taken[email], 0) if email in self.demo else 0 for email in limits}

    # --- One client's rows ---------------------------------------------------------------------------

    def _client(self, index: int) -> None:
        rng, today = self.rng, self.today
        tenth = index % 10
        region = self.regions[0 if tenth < 7 else 1 if tenth < 9 else 2]
        owner = region.workers[(index // 10) % len(region.workers)]
        # A fixed permutation of (birth date, individual number): every index its own valid code.
        j = (index * 1_000_003 + 12_345) % (BIRTH_DAYS * 500)
        individual = SCALE_INDIVIDUALS[0] + j % 500
        code = identity_code(BIRTHS_FROM + timedelta(days=j // 500), individual)
        sex = "male" if individual % 2 else "female"
        client_id, client_pid = self.sink.take(Client), uuid.uuid4()
        client = (client_id, client_pid, region)

        roll = rng.random()
        stage = rng.choices(range(6), STATUS_WEIGHTS)[0]
        cases: list[dict[str, Any]] = []
        if roll < 0.12:  # only a closed case
            closed_on = today - timedelta(days=rng.randint(5, 700))
            cases.append(
                {
                    "opened": closed_on - timedelta(days=rng.randint(60, 500)),
                    "closed_on": closed_on,
                    "stage": rng.randint(1, 5),
                }
            )
        else:
            opened = today - timedelta(days=min(14 + 55 * stage + rng.randint(0, 150), 1300))
            if roll < 0.20:  # came back after an earlier case
                closed_on = opened - timedelta(days=rng.randint(20, 400))
                cases.append(
                    {
                        "opened": closed_on - timedelta(days=rng.randint(60, 400)),
                        "closed_on": closed_on,
                        "stage": rng.randint(1, 5),
                    }
                )
            cases.append({"opened": opened, "closed_on": None, "stage": stage})

        for number, plan in enumerate(cases):
            opener = owner
            current = plan["closed_on"] is None
            handover_to = None
            if current and region is self.regions[0] and self.demo_slots[OULU_WORKER] > 0:
                handover_to = self.demo[OULU_WORKER]
                self.demo_slots[OULU_WORKER] -= 1
            elif rng.random() < 0.15 and len(region.workers) > 1:
                opener = rng.choice(region.workers)
                handover_to = owner if opener is not owner else None
            last = self._case(
                client, region=region, opener=opener, handover_to=handover_to, first=number == 0, **plan
            )
            if number == 0:
                first_at, creator = last["opened_at"], opener
        self._consents(client, last)
        for _ in range(rng.randint(2, 4)):
            self._audit(
                last["owner"], "client.view", "clients.client", str(client_pid), client_pid, request=True
            )

        first = rng.choice(self.first_names[sex])
        if rng.random() < 0.4:
            second = rng.choice(self.first_names[sex])
            first = f"{first} {second}" if second != first else first
        last_name = rng.choice(self.last_names)
        municipality = rng.choice(region.municipalities)
        postal, office = rng.choice(POSTAL_CODES[municipality])
        languages, other, interpreter = ["fi"], "", ""
        if (roll := rng.random()) < 0.05:
            languages = ["sv"] if region.key == "espoo" else ["sv", "fi"]
        elif roll < 0.12:
            other = rng.choice(OTHER_LANGUAGES)
            languages = ["other", "en"] if roll < 0.09 else ["other"]
            interpreter = other if roll >= 0.08 else ""
        email = ""
        if rng.random() < 0.55:
            email = f"{first.split()[0]}.{last_name}{index}@example.com".lower().translate(ASCII)
        self.rows[Client].append(
            (
                client_id,
                client_pid,
                first_at,
                first_at,
                identity.encrypt(code),
                identity.lookup_hash(code),
                identity.mask(code),
                first,
                last_name,
                BIRTHS_FROM + timedelta(days=j // 500),
                sex,
                municipality,
                json.dumps(languages),
                other,
                f"04{rng.choice('0145')} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                email,
                f"{rng.choice(self.streets)} {rng.randint(1, 60)}",
                postal,
                office,
                rng.choice(["phone", "phone", "sms", "email", ""]),
                bool(interpreter),
                interpreter,
                creator.id,
            )
        )

    def _case(
        self,
        client: tuple[int, uuid.UUID, _Region],
        *,
        region: _Region,
        opener: _Staff,
        handover_to: _Staff | None,
        first: bool,
        opened: date,
        closed_on: date | None,
        stage: int,
    ) -> dict[str, Any]:
        rng, sink = self.rng, self.sink
        client_id, client_pid, _ = client
        case_id, case_pid = sink.take(Case), uuid.uuid4()
        case_ref = ("clients.case", str(case_pid))
        end = closed_on or self.today - timedelta(days=1)
        span = (end - opened).days
        stage = min(stage, max(span - 1, 0))
        days = [opened] + [opened + timedelta(days=d) for d in sorted(rng.sample(range(1, span), stage))]
        handover_on = None
        if handover_to is not None:
            earliest = max(opened + timedelta(days=1), handover_to.valid_from, end - timedelta(days=300))
            handover_on = min(_between(rng, earliest, end), end)
        owner = handover_to or opener

        def worker_on(day: date) -> _Staff:
            return owner if handover_on is not None and day >= handover_on else opener

        opened_at = self._at(opened)
        source = rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0]
        self._timeline(
            client, case_id, "case.opened", opened_at, opener, case_ref, {"unit": opener.unit_name}
        )
        self._audit(opener, "case.open", *case_ref, client_pid, {"source": source})
        if first:
            self._audit(opener, "client.create", "clients.client", str(client_pid), client_pid)
        self.rows[CaseWorkerChange].append(
            (sink.take(CaseWorkerChange), case_id, opener.id, None, opened_at, opener.id, "")
        )
        team: list[list[Any]] = [self._period(case_id, opener, opened, opener, opened_at)]
        previous, status_at = "", opened_at
        for status, day in zip(OPEN_STATUSES, days, strict=False):
            by = worker_on(day)
            status_at = opened_at if not previous else self._at(day)
            self.rows[CaseStatusChange].append(
                (sink.take(CaseStatusChange), case_id, status, previous, status_at, by.id, "", "")
            )
            if previous:
                self._timeline(
                    client, case_id, "case.status_changed", status_at, by, case_ref, {"status": status}
                )
                self._audit(by, "case.status", *case_ref, client_pid, {"status": status})
            previous = status
        if handover_on is not None and handover_to is not None:
            at = self._at(handover_on)
            self.rows[CaseWorkerChange].append(
                (
                    sink.take(CaseWorkerChange),
                    case_id,
                    owner.id,
                    opener.id,
                    at,
                    opener.id,
                    "Siirto omatyöntekijälle.",
                )
            )
            team[0][9], team[0][11] = handover_on, opener.id
            team.append(self._period(case_id, owner, handover_on, opener, at))
            self._timeline(
                client,
                case_id,
                "case.worker_assigned",
                at,
                opener,
                case_ref,
                {"worker": owner.name},
                "Siirto omatyöntekijälle.",
            )
            self._audit(opener, "case.assign", *case_ref, client_pid, {"worker": owner.public_id})

        for _ in range(rng.randint(2, 5)):  # the personal worker's contacts, the first at the opening
            day = opened if _ == 0 else _between(rng, opened, end)
            self._contact(
                client,
                case_id,
                worker_on(day),
                day,
                Register.SOCIAL if rng.random() < 0.3 else Register.EMPLOYMENT,
            )
        county_member = None
        for role, share, from_stage, _load in PROFESSIONALS:
            if stage < from_stage or rng.random() >= share:
                continue
            member = self._demo_member(role, region) or rng.choice(region.professionals[role])
            join = max(days[from_stage] + timedelta(days=rng.randint(0, 7)), member.valid_from)
            if join > end:
                continue
            by = worker_on(join)
            at = self._at(join)
            period = self._period(case_id, member, join, by, at)
            team.append(period)
            self._timeline(
                client,
                case_id,
                "team.member_added",
                at,
                by,
                ("clients.caseteammember", str(period[1])),
                {"member": member.name, "role": role},
            )
            self._audit(
                by,
                "team.add",
                "clients.caseteammember",
                str(period[1]),
                client_pid,
                {"member": member.public_id},
            )
            leaves = _between(rng, join + timedelta(days=7), end) if rng.random() < 0.15 else None
            if leaves is not None and leaves < end:
                ender = worker_on(leaves)
                period[9], period[11] = leaves, ender.id
                at = self._at(leaves)
                self._timeline(
                    client,
                    case_id,
                    "team.member_ended",
                    at,
                    ender,
                    ("clients.caseteammember", str(period[1])),
                    {"member": member.name},
                )
                self._audit(ender, "team.end", "clients.caseteammember", str(period[1]), client_pid)
            register = (
                Register.HEALTH
                if role in HEALTH_ROLES
                else (Register.SOCIAL if role == Role.SOCIAL_WORKER else Register.EMPLOYMENT)
            )
            for _ in range(rng.randint(1, 3)):
                self._contact(client, case_id, member, _between(rng, join, period[9] or end), register)
            if member.organisation_id == region.county.pk and county_member is None:
                county_member = (member, join)

        next_step, next_on = "", None
        if closed_on is None:
            for planned in sorted(
                {
                    _between(rng, max(days[-1], end - timedelta(days=45)), end),
                    *[_between(rng, opened, end) for _ in range(rng.randint(0, 2))],
                }
            ):
                next_step = NEXT_STEPS[min(stage + rng.randint(0, 2), len(NEXT_STEPS) - 1)]
                next_on = planned + timedelta(days=rng.randint(7, 60))
                at = self._at(planned)
                self._timeline(
                    client,
                    case_id,
                    "case.next_step",
                    at,
                    worker_on(planned),
                    case_ref,
                    {"on": next_on.isoformat(), "step": next_step},
                )
                self._audit(worker_on(planned), "case.next_step", *case_ref, client_pid)
        else:
            outcome = rng.choices([o for o, _ in CLOSED_OUTCOMES], [w for _, w in CLOSED_OUTCOMES])[0]
            status_at = self._at(closed_on)
            self.rows[CaseStatusChange].append(
                (
                    sink.take(CaseStatusChange),
                    case_id,
                    CaseStatus.CLOSED,
                    previous,
                    status_at,
                    owner.id,
                    "",
                    "",
                )
            )
            self._timeline(client, case_id, "case.closed", status_at, owner, case_ref, {"outcome": outcome})
            self._audit(owner, "case.close", *case_ref, client_pid, {"outcome": outcome})
            for period in team:
                if period[9] is None:
                    period[9], period[11] = closed_on, owner.id
            previous = CaseStatus.CLOSED
        self.rows[CaseTeamMember].extend(tuple(period) for period in team)
        self.rows[Case].append(
            (
                case_id,
                case_pid,
                opened_at,
                status_at,
                client_id,
                opener.unit_id,
                source,
                opened,
                opener.id,
                previous,
                status_at,
                owner.id,
                next_step,
                next_on,
                closed_on,
                "" if closed_on is None else outcome,
            )
        )
        return {
            "opened_at": opened_at,
            "owner": owner,
            "case_id": case_id,
            "end": end,
            "county": county_member,
            "open": closed_on is None,
            "worker_on": worker_on,
        }

    def _consents(self, client: tuple[int, uuid.UUID, _Region], case: dict[str, Any]) -> None:
        """Health records from the county to the city (valid, expired or revoked), recorded by the county's
        professional, and now and then the city's social and employment records to the county, recorded
        by the personal worker: the organisation holding the records records the consent."""
        if case["county"] is None or self.rng.random() >= 0.6:
            return
        rng, (member, joined), region = self.rng, case["county"], client[2]
        owner, end = case["worker_on"](joined), case["end"]
        state = rng.choices(["valid", "expired", "revoked"], [70, 15, 15])[0]
        until = None if rng.random() < 0.5 else joined + timedelta(days=730)
        revoked = None
        if state == "expired":
            until = _between(rng, joined, end)
        elif state == "revoked":
            revoked = _between(rng, joined, end)
        self._consent(client, member, region.county, region.city, joined, until, revoked, health=True)
        if rng.random() < 0.4:
            self._consent(client, owner, region.city, region.county, joined, None, None, health=False)

    def _consent(
        self,
        client: tuple[int, uuid.UUID, _Region],
        by: _Staff,
        discloser: Organisation,
        recipient: Organisation,
        valid_from: date,
        until: date | None,
        revoked: date | None,
        *,
        health: bool,
    ) -> None:
        rng = self.rng
        consent_id, consent_pid = self.sink.take(Consent), uuid.uuid4()
        ref = ("clients.consent", str(consent_pid))
        at = self._at(valid_from)
        method = rng.choices(list(ConsentMethod.values), [60, 30, 10])[0]
        witness = (
            rng.choice(self.first_names["female"]) + " " + rng.choice(self.last_names)
            if method == ConsentMethod.VERBAL_WITH_WITNESS
            else ""
        )
        revoked_at = self._at(revoked) if revoked else None
        self.rows[Consent].append(
            (
                consent_id,
                consent_pid,
                at,
                revoked_at or at,
                client[0],
                discloser.pk,
                recipient.pk,
                not health,
                health,
                not health,
                "Työkyvyn arviointi ja palvelupolun suunnittelu",
                valid_from,
                until,
                method,
                witness,
                by.id,
                revoked,
                by.id if revoked else None,
                revoked_at,
                "Asiakas perui suostumuksen." if revoked else "",
            )
        )
        names = {"discloser": discloser.name, "recipient": recipient.name}
        self._timeline(client, None, "consent.recorded", at, by, ref, names)
        registers = [Register.HEALTH] if health else [Register.SOCIAL, Register.EMPLOYMENT]
        self._audit(by, "consent.record", *ref, client[1], {"registers": [str(r) for r in registers]})
        if revoked_at is not None:
            self._timeline(
                client, None, "consent.revoked", revoked_at, by, ref, names, "Asiakas perui suostumuksen."
            )
            self._audit(by, "consent.revoke", *ref, client[1])

    def _contact(
        self, client: tuple[int, uuid.UUID, _Region], case_id: int, author: _Staff, day: date, register: str
    ) -> None:
        rng = self.rng
        contact_id, contact_pid = self.sink.take(Contact), uuid.uuid4()
        kind = rng.choice(CONTACT_KINDS)
        minutes = 15 if kind == ContactKind.PHONE else rng.choice([30, 45, 60, 90])
        note = rng.choice(NOTES[register])
        at = self._at(day)
        self.rows[Contact].append(
            (
                contact_id,
                contact_pid,
                at,
                at,
                case_id,
                client[0],
                kind,
                day,
                minutes,
                PARTICIPANTS[register],
                note,
                register,
                author.organisation_id,
                author.id,
            )
        )
        ref = ("clients.contact", str(contact_pid))
        params = {"kind": kind, "register": register, "on": day.isoformat(), "minutes": minutes}
        self._timeline(client, case_id, "contact.recorded", at, author, ref, params, note, register)
        self._audit(author, "contact.record", *ref, client[1])

    def _period(self, case_id: int, member: _Staff, started_on: date, by: _Staff, at: datetime) -> list[Any]:
        return [
            self.sink.take(CaseTeamMember),
            uuid.uuid4(),
            at,
            at,
            case_id,
            member.id,
            member.role,
            RESPONSIBILITIES.get(member.role, ""),
            started_on,
            None,
            by.id,
            None,
        ]

    def _demo_member(self, role: str, region: _Region) -> _Staff | None:
        """The demo nurse and job coach join a few bulk teams in Oulu, so their caseloads grow too."""
        email = {str(Role.NURSE): OULU_NURSE, str(Role.JOB_COACH): OULU_COACH}.get(role)
        if email is None or region is not self.regions[0] or self.demo_slots.get(email, 0) <= 0:
            return None
        self.demo_slots[email] -= 1
        return self.demo[email]

    def _timeline(
        self,
        client: tuple[int, uuid.UUID, _Region],
        case_id: int | None,
        kind: str,
        at: datetime,
        actor: _Staff,
        ref: tuple[str, str],
        params: dict[str, Any],
        text: str = "",
        register: str = "",
    ) -> None:
        self.rows[TimelineEntry].append(
            (
                self.sink.take(TimelineEntry),
                client[0],
                case_id,
                kind,
                at,
                actor.id,
                actor.organisation_id,
                register,
                ref[0],
                ref[1],
                json.dumps(params, ensure_ascii=False),
                text,
            )
        )

    def _audit(
        self,
        actor: _Staff,
        action: str,
        object_type: str,
        object_id: str,
        client_pid: uuid.UUID,
        details: dict[str, Any] | None = None,
        *,
        request: bool = False,
    ) -> None:
        """Append one event to the chain: the same fields and hash as `audit.record` gives, written now."""
        event, details = self.audit, details or {}
        self.audit_at += timedelta(microseconds=1)
        event.at, event.actor_id, event.actor_label = self.audit_at, actor.user_id, actor.email
        event.membership_id, event.organisation_id, event.role = actor.id, actor.organisation_id, actor.role
        event.action, event.object_type, event.object_id = action, object_type, object_id
        event.client_id, event.reason, event.details, event.prev_hash = client_pid, "", details, ""
        event.request_id = uuid.uuid4().hex if request else ""
        event.ip = f"192.0.2.{self.rng.randint(1, 254)}" if request else None
        digest = event.compute_hash()
        self.rows[AuditEvent].append(
            (
                self.sink.take(AuditEvent),
                event.at,
                actor.user_id,
                actor.email,
                actor.id,
                actor.organisation_id,
                actor.role,
                action,
                object_type,
                object_id,
                client_pid,
                "",
                event.request_id,
                event.ip,
                json.dumps(details, ensure_ascii=False),
                "",
                digest,
            )
        )
        event_id = self.sink.next_id[AuditEvent] - 1
        link = AuditSeal.link(self.prev_hash, digest)
        self.rows[AuditSeal].append(
            (self.sink.take(AuditSeal), event_id, self.prev_hash, link, self.audit_at)
        )
        self.prev_hash, self.chain_count, self.last_event_id = link, self.chain_count + 1, event_id

    def _at(self, day: date) -> datetime:
        minutes = self.rng.randint(8 * 60 + 5, 15 * 60 + 50)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _produce(self, existing: int, batches: queue.Queue[Any], stop: threading.Event) -> None:
        try:
            for batch_start in range(existing, self.target, SCALE_BATCH):
                batch_end = min(batch_start + SCALE_BATCH, self.target)
                for index in range(batch_start, batch_end):
                    self._client(index)
                rows, self.rows = self.rows, {model: [] for model in FIELDS}
                while not stop.is_set():
                    try:
                        batches.put((batch_end, rows), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            batches.put(None)
        except BaseException as error:  # handed to the writing thread, which raises it
            batches.put(error)

    def _flush(self, batch: dict[type[Model], list[tuple[Any, ...]]]) -> None:
        for model, rows in batch.items():
            started = clock.monotonic()
            self.sink.write(model, rows)
            name = model.__name__
            self.counts[name] = self.counts.get(name, 0) + len(rows)
            self.write_seconds[name] = self.write_seconds.get(name, 0.0) + clock.monotonic() - started
            rows.clear()


CONTACT_KINDS = (
    [ContactKind.MEETING] * 4 + [ContactKind.PHONE] * 3 + [ContactKind.VIDEO, ContactKind.HOME_VISIT]
)
ASCII = str.maketrans("äöåé ", "aoae-")


def _organisation(name: str, kind: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        base = 2_950_000 + int(hashlib.sha256(name.encode()).hexdigest()[:6], 16) % 40_000
        business_id = synthetic_business_id(base)
        while Organisation.objects.filter(business_id=business_id).exists():
            base += 1
            business_id = synthetic_business_id(base)
        organisation = Organisation.objects.create(name=name, kind=kind, business_id=business_id)
    return organisation


def _unit_name(role: str, team: int) -> str:
    if role == Role.PERSONAL_WORKER:
        return f"Työllisyyspalvelut, omatyöntekijätiimi {team}"
    if role == Role.JOB_COACH:
        return f"IPS-työhönvalmennus, tiimi {team}"
    if role == Role.SOCIAL_WORKER:
        return f"Aikuissosiaalityö, tiimi {team}"
    return f"Työkykypalvelut, {PROFESSION_NAMES[role]} {team}"


PROFESSION_NAMES: dict[str, str] = {
    Role.NURSE: "terveydenhoitajat",
    Role.PSYCHOLOGIST: "psykologit",
    Role.PHYSIOTHERAPIST: "fysioterapeutit",
    Role.PHYSICIAN: "lääkärit",
    Role.OCCUPATIONAL_THERAPIST: "toimintaterapeutit",
}
