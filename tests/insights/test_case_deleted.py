"""A deleted case leaves no trace in the figures: its fact goes and the monthly roll-ups no longer count
it, in the same transaction as the deletion, by whatever path the case was deleted."""

from datetime import date

import pytest
from django.db import transaction

from polku.clients.models import (
    Case,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Contact,
    TimelineEntry,
)
from polku.insights import rollups, services
from polku.insights.models import CaseFact, MonthlyFigure
from tests.factories import make_case

from .conftest import contact


def rollup_rows():
    return sorted(MonthlyFigure.objects.values_list(*rollups.KEY_COLUMNS, "n", "amount"), key=repr)


def remove(case_ids):
    """What else points at a bare case, so that the case itself can be deleted."""
    for model in (Contact, TimelineEntry, CaseStatusChange, CaseWorkerChange, CaseTeamMember):
        model.objects.filter(case_id__in=case_ids).delete()


@pytest.fixture
def refreshed(worker):
    cases = [make_case(by=worker, opened_on=date(2025, 3, 3 + n)) for n in range(4)]
    for case in cases[:3]:
        contact(case, date(2025, 3, 20), worker)
    services.refresh([case.pk for case in cases])
    return cases


def assert_roll_ups_match_a_rebuild():
    kept = rollup_rows()
    rollups.rebuild()
    assert kept == rollup_rows()


def test_deleting_a_case_takes_it_out_of_the_facts_and_the_roll_ups(refreshed):
    doomed = refreshed[0]
    before = MonthlyFigure.objects.filter(level="all", measure="reached", key="identified").get().n
    remove([doomed.pk])
    doomed.delete()
    assert not CaseFact.objects.filter(case_id=doomed.pk).exists()
    assert (
        MonthlyFigure.objects.filter(level="all", measure="reached", key="identified").get().n == before - 1
    )
    assert_roll_ups_match_a_rebuild()


def test_a_queryset_delete_of_several_cases_too(refreshed):
    ids = [case.pk for case in refreshed[1:]]
    remove(ids)
    Case.objects.filter(pk__in=ids).delete()
    assert CaseFact.objects.count() == 1
    assert_roll_ups_match_a_rebuild()


def test_a_deletion_rolled_back_leaves_the_facts_and_roll_ups_as_they_were(refreshed):
    rows, facts = rollup_rows(), CaseFact.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        remove([refreshed[0].pk])
        refreshed[0].delete()
        raise RuntimeError
    assert (rollup_rows(), CaseFact.objects.count()) == (rows, facts)
