"""Demo clients for `manage.py seed_demo`: about 30 open cases for the Oulu personal worker and about 10
for the Espoo one, in every status, with closed cases, teams, contacts and consents in every state.

Every client's path goes through the real services (`demo_story.Story`), so history rows, timeline
entries and audit events are exactly what the application writes; `demo_people.py` makes up the
people. The benchmark's 100,000 synthetic clients are seeded by `bench/scale_seed`, not here.
"""

from __future__ import annotations

import random
import time as clock
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from polku.accounts.models import Membership
from polku.clients import identity
from polku.clients.demo_people import client_details, demo_person
from polku.clients.demo_story import OPEN_STATUSES, Story, closed_story, tell
from polku.clients.models import Case, CaseOutcome, CaseStatus
from polku.core.seeding import DemoContext

OULU_WORKER = "worker@oulu.polku.example"
OULU_NURSE = "nurse@oulu.polku.example"
OULU_PSYCHOLOGIST = "psychologist@oulu.polku.example"
OULU_COACH = "coach@oulu.polku.example"
ESPOO_WORKER = "worker@espoo.polku.example"


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


def _has_cases(membership: Membership) -> bool:
    return (
        Case.objects.filter(opened_by=membership).exists()
        or Case.objects.filter(personal_worker=membership).exists()
    )


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
        code, sex = demo_person(rng)
        municipality = "049" if index % 4 else rng.choice(["235", "257"])
        trait = {3: "swedish", 6: "interpreter", 8: "other"}.get(index, "")
        tell(
            Story(cast.espoo, rng),
            code=code,
            details=client_details(rng, faker, sex, municipality, trait),
            status=status,
            today=today,
            due_in=rng.randint(-20, 30) if index else None,
        )
    for outcome, days_ago in ((CaseOutcome.MOVED_AWAY, 160), (CaseOutcome.OPEN_MARKET_FULL_TIME, 45)):
        code, sex = demo_person(rng)
        story = Story(cast.espoo, rng)
        closed_story(
            story, code, client_details(rng, faker, sex, "049"), outcome, today - timedelta(days=days_ago)
        )
    return len(statuses) + 2


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
        code, sex = demo_person(rng)
        story = Story(cast.worker, rng)
        closed_story(
            story, code, client_details(rng, faker, sex, "564"), outcome, today - timedelta(days=days_ago)
        )
    moved = Case.objects.filter(opened_by=cast.espoo, outcome=CaseOutcome.MOVED_AWAY).select_related("client")
    mover = moved.first()
    nurse_cases = 0
    for index, status in enumerate(OULU_OPEN):
        story = Story(cast.worker, rng)
        code, sex = demo_person(rng)
        details = client_details(rng, faker, sex, rng.choice(OULU_MUNICIPALITIES), OULU_TRAITS.get(index, ""))
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
            closed_story(story, code, details, CaseOutcome.OTHER_SERVICES, today - timedelta(days=150))
            existing = True
        elif index == 11 and mover is not None:  # moved from Espoo: the same person, a new case here
            code = identity.decrypt(mover.client.identity_code_encrypted)
            existing = True
            move = {k: details[k] for k in ("municipality", "street_address", "postal_code", "post_office")}
        tell(
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
