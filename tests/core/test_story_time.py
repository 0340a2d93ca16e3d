"""The demo's clock (`core.story_time`): inside `happened_at`, audit events are written with the story's
moment (the chain still verifies) and the rows the block adds are moved to it; outside, nothing
changes."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone
from faker import Faker

from polku.audit.models import AuditEvent
from polku.audit.services import verify_chain
from polku.clients import services as client_services
from polku.clients.demo_people import person_name
from polku.clients.models import CaseStatusChange, TimelineEntry
from polku.core import story_time
from tests.clients.conftest import open_case_for


def test_what_a_block_writes_carries_the_storys_moment(worker):
    case = open_case_for(worker)
    moment = story_time.on_day(timezone.localdate() - timedelta(days=30), 10, 15)
    before = TimelineEntry.objects.count()

    with story_time.happened_at(moment):
        client_services.plan_next_step(
            case=case, step="Tilannekartoitus", due_on=timezone.localdate(), by=worker
        )
        assert story_time.now() == moment

    added = TimelineEntry.objects.order_by("id")[before:]
    assert added and all(entry.at == moment for entry in added)
    event = AuditEvent.objects.filter(action__startswith="case.").order_by("-id").first()
    assert event is not None and event.at == moment
    assert verify_chain().ok
    # Outside the block: the real time again.
    assert abs(story_time.now() - timezone.now()) < timedelta(seconds=5)
    client_services.plan_next_step(case=case, step="Seuranta", due_on=timezone.localdate(), by=worker)
    assert timezone.localtime(TimelineEntry.objects.order_by("-id").first().at).date() == timezone.localdate()


def test_case_status_changes_keep_the_order_they_were_made_in(worker):
    case = open_case_for(worker)
    with story_time.happened_at(story_time.on_day(date(2025, 2, 3))):
        client_services.change_status(case=case, status="screening", by=worker)
    newest = CaseStatusChange.objects.filter(case=case).order_by("-id").first()
    assert timezone.localtime(newest.at).date() == timezone.localdate()


def test_demo_names_never_repeat_a_given_name_or_a_person():
    faker = Faker("fi_FI")
    faker.seed_instance(1)
    rng = random.Random(1)
    people = [person_name(rng, faker, sex) for sex in ["female", "male"] * 150]

    for first_names, _last in people:
        given = first_names.split()
        assert len(given) == len(set(given)), first_names
    assert len({f"{first} {last}" for first, last in people}) == len(people)


def test_swedish_and_sami_speakers_get_names_of_their_language():
    faker = Faker("fi_FI")
    rng = random.Random(2)
    sami_first, sami_last = person_name(rng, faker, "female", "se")
    from polku.clients.demo_people import SAMI_FIRST_NAMES, SAMI_SURNAMES

    assert sami_first.split()[0] in SAMI_FIRST_NAMES["female"] and sami_last in SAMI_SURNAMES
    swedish_first, _swedish_last = person_name(rng, faker, "male", "sv")
    assert swedish_first
