"""A small synthetic registry extract imported for the Oulu demo worker's unit (`manage.py seed_demo`),
so that the early-identification worklist has people on it in `make run`."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from django.utils import timezone

from polku.accounts.models import Membership
from polku.clients.demo import OULU_WORKER
from polku.clients.demo_people import REGISTRY_INDIVIDUALS, identity_code, person_name
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.intake import services
from polku.intake.models import RegistryExtract
from polku.intake.reading import COLUMNS

DEMO_ROWS = 60


def seed(ctx: DemoContext) -> None:
    worker = Membership.objects.active().filter(user__email=OULU_WORKER).select_related("unit").first()
    if worker is None or RegistryExtract.objects.filter(unit=worker.unit).exists():
        return
    # Uploaded and checked two days ago, the day of the extract's data.
    with story_time.happened_at(story_time.on_day(timezone.localdate() - timedelta(days=2), 8, 30)):
        extract = RegistryExtract.objects.create(
            unit=worker.unit, uploaded_by=worker, file_name="demo-poiminta.csv"
        )
        extract = services.run_import(extract=extract, data=demo_extract(ctx))
    ctx.stdout.write(
        f"Demo registry extract: {extract.new_people} people, {extract.flagged_people} on the worklist."
    )


def demo_extract(ctx: DemoContext) -> bytes:
    rng = random.Random(ctx.faker.random.random())  # noqa: S311 - synthetic data, not secrets
    on = timezone.localdate() - timedelta(days=2)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(finnish for finnish, _english in COLUMNS.values())
    for _ in range(DEMO_ROWS):
        birth = on - timedelta(days=rng.randint(20 * 365, 63 * 365))
        unemployed = rng.random() < 0.9
        individual = rng.randint(*REGISTRY_INDIVIDUALS)  # numbers of their own: not clients yet
        first_names, last_name = person_name(rng, ctx.faker, "male" if individual % 2 else "female")
        writer.writerow(
            [
                identity_code(birth, individual),
                last_name,
                first_names,
                rng.choice(["564", "564", "564", "139", "425"]),
                f"{(d := on - timedelta(days=rng.randint(60, 2200))).day}.{d.month}.{d.year}"
                if unemployed
                else "",
                rng.choice(["tyomarkkinatuki", "peruspaivaraha", "ansiopaivaraha", "ei"]),
                "kyllä" if rng.random() < 0.2 else "ei",
                (on - timedelta(days=rng.randint(30, 700))).isoformat() if rng.random() < 0.4 else "",
                on.isoformat(),
            ]
        )
    return out.getvalue().encode("utf-8")
