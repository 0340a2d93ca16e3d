"""Demo questionnaires for `manage.py seed_demo`: some of the Oulu personal worker's clients answered
WAS, PHQ-9 and the functional capacity self-assessment a few times over their case, so the overview's
charts show a course. Through the services (scores, bands, alerts, timeline and audit as the app
writes them); afterwards the responses and their timeline entries are moved to the story's dates, as
the clients demo does. One client's PHQ-9 answer to question 9 leaves an open safety alert."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from polku.accounts.models import Membership
from polku.clients.demo import OULU_WORKER
from polku.clients.models import Case
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.instruments import selectors, services
from polku.instruments.models import InstrumentVersion, ItemKind, Response

CLIENTS = 8
SEED = 4  # a fixed seed: the same demo every time


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
        .select_related("client")
        .order_by("client__last_name", "client__first_names", "id")[:CLIENTS]
    )
    if not cases or Response.objects.filter(case__in=cases).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not secrets
    versions = {code: selectors.version_for_answering(code) for code in ("was", "phq9", "polku_fc")}
    today = timezone.localdate()
    for index, case in enumerate(cases):
        days = max((today - case.opened_on).days, 3)
        moments = sorted({case.opened_on + timedelta(days=round(days * share)) for share in (0.1, 0.5, 0.9)})
        was_start, phq_start, fc_start = rng.randint(2, 6), rng.randint(6, 17), rng.randint(20, 45)
        for step, on in enumerate(moments):
            _answer(case, versions["was"], worker, on, min(10, was_start + step * rng.randint(0, 2)), rng)
            phq_total = max(0, phq_start - step * rng.randint(1, 4))
            alert = index == 2 and step == len(moments) - 1
            _answer(case, versions["phq9"], worker, on, phq_total, rng, item_9=1 if alert else 0)
            if step != 1:
                _answer(
                    case, versions["polku_fc"], worker, on, min(70, fc_start + step * rng.randint(2, 8)), rng
                )
    count = Response.objects.filter(case__in=cases).count()
    ctx.stdout.write(f"Demo questionnaires: {count} responses for {len(cases)} clients.")


def _answer(
    case: Case,
    version: InstrumentVersion,
    by: Membership,
    on: date,
    total: int,
    rng: random.Random,
    item_9: int = 0,
) -> None:
    answers = _answers_adding_up(
        version, total, rng, fixed={"9": str(item_9)} if version.instrument.code == "phq9" else {}
    )
    moment = story_time.on_day(on, 9 + rng.randint(0, 6), rng.randint(0, 59))
    if on == timezone.localdate():
        moment = min(moment, story_time.earlier_today())
    with story_time.happened_at(moment):  # the response, its alert and their entries at the story's time
        services.record_response(case=case, version=version, answers=answers, by=by)


def _answers_adding_up(
    version: InstrumentVersion, total: int, rng: random.Random, *, fixed: dict[str, Any]
) -> dict[str, Any]:
    """Answers whose scores add up to `total`, spread over the items."""
    items = [item for item in version.items.all() if item.kind in (ItemKind.CHOICE, ItemKind.SCALE)]
    fixed_score = sum(int(v) for v in fixed.values())
    left = max(0, total - fixed_score)
    scores = {item.link_id: 0 for item in items if item.link_id not in fixed}
    ceilings = {item.link_id: item.max_score() for item in items}
    while left > 0 and any(scores[k] < ceilings[k] for k in scores):
        link_id = rng.choice([k for k in scores if scores[k] < ceilings[k]])
        scores[link_id] += 1
        left -= 1
    answers: dict[str, Any] = dict(fixed)
    for item in items:
        if item.link_id in fixed:
            continue
        if item.kind == ItemKind.CHOICE:
            answers[item.link_id] = next(
                o.code for o in item.options.all() if o.score == scores[item.link_id]
            )
        else:
            answers[item.link_id] = scores[item.link_id]
    return answers
