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


# Tables whose rows are not told by a story: the organisations, accounts and catalogue the stories happen
# in (created when the demo is seeded, as an administrator would), the questionnaires' and screening
# rules' definitions, the figures computed from the stories (insights) and the audit log, whose events of
# the clients are checked on their own below.
NOT_STORIES = {"accounts", "audit", "insights", "core"}
DEFINITIONS = {
    "services.provider",
    "services.service",
    "services.servicelocation",
    "services.servicecontact",
    "services.taxonomyterm",
    "instruments.instrument",
    "instruments.instrumentversion",
    "instruments.item",
    "instruments.option",
    "instruments.band",
    "instruments.alertrule",
    "screening.screeningrule",
    "clients.municipality",
}


def _datetime_columns():
    from django.apps import apps
    from django.db import models

    for config in apps.get_app_configs():
        if not config.name.startswith("polku.") or config.label in NOT_STORIES:
            continue
        for model in config.get_models():
            if model._meta.label_lower in DEFINITIONS:
                continue
            fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
            if fields:
                yield model, fields


def test_every_demo_row_carries_its_storys_time_not_the_seeding_time(db, settings):
    """Seed the demo; no time any demo story's row holds (every datetime column of the stories' tables:
    created and changed, concluded, agreed, accepted, revoked, status changes, timeline and history rows)
    falls within the seeding run, and the services' own stamps match the dates the story gives them."""
    from io import StringIO

    from django.core.management import call_command
    from django.db.models import Q

    from polku.assessments.models import Assessment
    from polku.clients.models import Case, Consent
    from polku.network.models import Referral, ReferralStatusChange
    from polku.plans.models import PlanVersion

    settings.DEBUG = True
    started = timezone.now()
    call_command("seed_demo", stdout=StringIO())
    finished = timezone.now()

    at_seeding: dict[str, int] = {}
    checked = 0
    for model, fields in _datetime_columns():
        during = Q()
        for field in fields:
            during |= Q(**{f"{field}__gte": started, f"{field}__lte": finished})
        found = model._default_manager.filter(during).count()
        checked += model._default_manager.count()
        if found:
            at_seeding[model._meta.label_lower] = found
    assert checked > 1000
    assert at_seeding == {}
    # The clients' audit events too: what the stories did is logged at the story's time.
    assert not AuditEvent.objects.filter(client_id__isnull=False, at__gte=started, at__lte=finished).exists()

    def local_day(moment):
        return timezone.localtime(moment).date()

    concluded = list(Assessment.objects.filter(concluded_at__isnull=False))
    assert concluded and all(local_day(a.concluded_at) == a.concluded_on for a in concluded)
    agreed = list(PlanVersion.objects.filter(agreed_at__isnull=False))
    assert agreed and all(local_day(v.agreed_at) == v.agreed_on for v in agreed)
    started_referral = Referral.objects.get(
        status="started", created_by__user__email="worker@oulu.polku.example"
    )
    assert started_referral.sent_at < started_referral.accepted_at < started_referral.started_at
    assert local_day(started_referral.started_at) == timezone.localdate() - timedelta(days=14)
    moves = list(ReferralStatusChange.objects.filter(referral=started_referral).order_by("id"))
    assert [m.at for m in moves] == sorted(m.at for m in moves) and len({m.at for m in moves}) >= 3
    revoked = list(Consent.objects.filter(revoked_at__isnull=False))
    assert revoked and all(local_day(c.revoked_at) == c.revoked_on for c in revoked)
    # A case's status history is in the order it was made, each change at its story's time.
    for case in Case.objects.prefetch_related("status_changes")[:200]:
        times = [change.at for change in sorted(case.status_changes.all(), key=lambda c: c.pk)]
        assert times == sorted(times), case.pk
        assert case.status_changed_at == times[-1]
