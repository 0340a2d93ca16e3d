"""The caseload's plan review flags read as SQL (`selectors.review_due_case_ids`,
`review_overdue_case_ids`) flag exactly the cases the ORM read flagged, on SQLite and PostgreSQL alike:
a review due within a week (today and the seventh day included), an overdue one, none for a plan without
a next review, a case without a plan, or a case of the page whose plan lies outside the week; a case of
another organisation's worker by the same rule; and nothing for cases not on the page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polku.clients.models import Case
from polku.plans.models import ServicePlan
from polku.plans.selectors import plan as selectors
from tests.plans.plan.conftest import agreed_plan, days_ago, open_case_for, today

pytestmark = pytest.mark.django_db


def orm_flags(cases: list[Case]) -> tuple[set[int], set[int]]:
    """The two flags as the ORM read them before: due within a week, and overdue."""
    found = dict(
        ServicePlan.objects.filter(case__in=cases, next_review_on__isnull=False).values_list(
            "case_id", "next_review_on"
        )
    )
    soon = today() + timedelta(days=selectors.REVIEW_DUE_DAYS)
    due = {pk for pk, on in found.items() if today() <= on <= soon}
    overdue = {pk for pk, on in found.items() if on < today()}
    return due, overdue


def fresh(cases: list[Case]) -> list[Case]:
    """The cases read again, without the next reviews the flags keep on the case objects."""
    by_id = Case.objects.in_bulk([case.pk for case in cases])
    return [by_id[case.pk] for case in cases]


def test_the_review_flags_are_the_orms(worker, outsider):
    next_reviews: dict[str, date | None] = {
        "Tänään": today(),
        "Huomenna": today() + timedelta(days=1),
        "Viikko": today() + timedelta(days=7),
        "Kahdeksan": today() + timedelta(days=8),
        "Kaukana": today() + timedelta(days=120),
        "Eilen": days_ago(1),
        "Kauan": days_ago(400),
        "Ilman": None,  # an agreed plan without a next review
    }
    cases = []
    for by in (worker, outsider):
        for last_name, on in next_reviews.items():
            case = open_case_for(by, last_name=last_name)
            agreed_plan(case)
            ServicePlan.objects.filter(case=case).update(next_review_on=on)
            cases.append(case)
        cases.append(open_case_for(by, last_name="Suunnitelmaton"))  # no plan at all
    # A case not on the page is not flagged, whatever its plan.
    off_page = open_case_for(worker, last_name="Muualla")
    agreed_plan(off_page)
    ServicePlan.objects.filter(case=off_page).update(next_review_on=today())

    due, overdue = orm_flags(cases)
    assert len(due) == 6 and len(overdue) == 4  # three due and two overdue in each organisation
    page = fresh(cases)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.review_due_case_ids(worker, page) == due
        assert selectors.review_overdue_case_ids(worker, page) == overdue
    assert len(queries) == 1  # one query for both flags
    # Any subset of the page, each organisation's cases alone, and one case at a time.
    for subset in (cases[:9], cases[9:], cases[::2], *([case] for case in cases)):
        due, overdue = orm_flags(subset)
        assert selectors.review_due_case_ids(outsider, fresh(subset)) == due
        assert selectors.review_overdue_case_ids(outsider, fresh(subset)) == overdue
    assert selectors.review_due_case_ids(worker, []) == set()
