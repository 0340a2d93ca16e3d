"""bench/insights.py's yardstick: hand-written SQL over the base tables must give exactly the numbers of
the dashboard (`insights.figures.compute`, read unprotected: every cell keeps its true count, and at
threshold 1 every median, mean and rate is shown), or the timing comparison would not be honest.
PostgreSQL only (the SQL is PostgreSQL's)."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from bench.insights_seed.seeder import seed
from bench.insights_sql import dashboard_numbers, hand_numbers
from polku.accounts.models import Organisation
from polku.insights import figures, periods, rollups
from polku.insights.scopes import Scope
from polku.network.models import TaxonomyTerm


@pytest.fixture
def seeded(db, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the hand-written SQL is PostgreSQL's")
    settings.POLKU_INSIGHTS_THRESHOLD = 1
    seed(600, start=date(2024, 1, 1), end=date(2025, 12, 31), workers_per_unit=1)
    rollups.rebuild()
    first = Organisation.objects.filter(municipality_code="564").order_by("id").first()
    return first.pk


def compare(scope, where, period):
    today = timezone.localdate()
    names = figures.category_names()
    codes = {name: code for code, name in names.items()}
    ours = dashboard_numbers(figures.compute(scope, period, today), codes)
    with connection.cursor() as cursor:
        theirs = hand_numbers(cursor, where, period, today)
    differing = {
        k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k)
    }
    assert not differing, differing
    return ours


PERIODS = [
    periods.year(2025),  # whole months: the roll-ups answer
    periods.custom(date(2024, 1, 1), date(2025, 12, 31)),
    periods.custom(date(2024, 3, 10), date(2025, 8, 20)),  # not whole months: the facts answer
]


@pytest.mark.parametrize("period", PERIODS, ids=["year", "two-years", "odd-days"])
def test_the_hand_written_sql_gives_the_dashboards_numbers(seeded, period):
    everything = compare(Scope("all", "all", Q()), "true", period)
    for prefix in (
        "funnel_now_job",
        "referral_",
        "loop_provider_",
        "placement_",
        "measure_",
        "caseload_",
        "gas_t_change",
    ):
        assert any(key.startswith(prefix) for key in everything), prefix
    assert TaxonomyTerm.objects.exists()
    organisation = seeded
    municipality = Scope(
        "municipality:564", "Oulu", Q(organisation_id=organisation) & Q(municipality="564"), organisation
    )
    found = compare(
        municipality, f"u.organisation_id = {organisation} AND cl.municipality_id = '564'", period
    )
    assert found["funnel_now_identified"] < everything["funnel_now_identified"]
