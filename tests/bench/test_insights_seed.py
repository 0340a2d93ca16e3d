"""`bench/insights_seed`: the base rows of synthetic cases as the services write them, with facts
written from the same records. The facts must be exactly what `insights.services.refresh` computes from
those base rows, or the bench would time figures of data the application could never have."""

from collections import Counter
from datetime import date

import pytest

from bench.insights_seed.seeder import seed
from polku.clients.models import Case, Client
from polku.insights import services
from polku.insights.models import CaseFact, MeasureFact, ServiceFact, ServiceKind
from polku.network.models import Referral
from polku.placements.models import Placement

SKIP = {"id", "refreshed_at", "fact_id"}


def columns(model):
    return [field.attname for field in model._meta.concrete_fields if field.attname not in SKIP]


def snapshot():
    """Every fact row by case, without ids and refresh times."""
    case_of = dict(CaseFact.objects.values_list("id", "case_id"))
    cases = {row[0]: row for row in CaseFact.objects.values_list(*columns(CaseFact))}
    found = {}
    for model in (ServiceFact, MeasureFact):
        by_case = {}
        for fact_id, *row in model.objects.values_list("fact_id", *columns(model)):
            by_case.setdefault(case_of[fact_id], []).append(tuple(row))
        found[model] = {case: sorted(rows, key=repr) for case, rows in by_case.items()}
    return cases, found[ServiceFact], found[MeasureFact]


@pytest.fixture
def seeded(db):
    written = seed(400, start=date(2024, 1, 1), end=date(2025, 12, 31), workers_per_unit=1)
    return written


def test_the_seeded_facts_are_what_the_refresh_computes_from_the_base_rows(seeded):
    before = snapshot()
    assert len(before[0]) == Case.objects.count() == Client.objects.count() == 400
    ids = list(Case.objects.values_list("id", flat=True))
    services.refresh(ids)
    after = snapshot()
    names = columns(CaseFact)
    for case_id, row in before[0].items():
        differing = {n: (a, b) for n, a, b in zip(names, row, after[0][case_id], strict=True) if a != b}
        assert not differing, (case_id, differing)
    assert before[1] == after[1]
    assert before[2] == after[2]


def test_the_seed_reaches_every_step_and_kind(seeded):
    """Not vacuous: every date column of the facts is filled for some cases and empty for others, and
    there are referrals of several statuses, placements, drafts without facts and repeated measures."""
    for name in (
        "first_contact_on",
        "assessment_on",
        "plan_agreed_on",
        "referral_sent_on",
        "service_started_on",
        "ips_entered_on",
        "job_started_on",
        "job_ended_on",
        "competitive_job_on",
        "closed_on",
        "t_score_first",
    ):
        filled = CaseFact.objects.filter(**{f"{name}__isnull": False}).count()
        assert 0 < filled < 400, name
    kinds = Counter(ServiceFact.objects.values_list("kind", flat=True))
    assert kinds[ServiceKind.REFERRAL] > 20 and kinds[ServiceKind.PLACEMENT] > 5
    assert len(set(ServiceFact.objects.values_list("status", flat=True))) >= 6
    assert Referral.objects.filter(sent_at__isnull=True).exists()  # drafts: in the base rows, not facts
    assert Placement.objects.filter(interrupted_on__isnull=False).exists()
    assert MeasureFact.objects.filter(responses__gte=2).count() > 5
    assert seeded["GoalRating"] > 0 and seeded["Attendance"] > 0 and seeded["Feedback"] > 0
