"""The caseload's page written as SQL (`selectors.caseload_page`, `CaseloadRows`) holds the cases the ORM's
`selectors.caseload` reads, in the same order, field for field with their client, its municipality and
the last contact the viewer may read, for every filter and sort, for a personal worker and a team
member, on SQLite and PostgreSQL alike; a hidden health contact moves nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from polku.accounts.models import OrganisationKind, Role
from polku.clients import selectors, services
from polku.clients.models import Case, CaseStatus, Client, Register
from tests.clients.conftest import days_ago, open_case_for
from tests.factories import make_membership, make_organisation, make_unit
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def same_page(viewer, size=25, number=None, **filters) -> list[Case]:
    chosen = selectors.CaseloadFilters(**filters)
    page = selectors.caseload_page(viewer=viewer, filters=chosen, number=number, size=size)
    read = selectors.caseload(viewer=viewer, filters=chosen)
    assert page.paginator.count == read.count()
    read_page = list(read[(page.number - 1) * size : page.number * size])
    built = list(page.object_list)
    assert [case.pk for case in built] == [case.pk for case in read_page], filters
    for mine, theirs in zip(built, read_page, strict=True):
        same(mine, theirs)
        same(mine.client, theirs.client)
        same(mine.client.municipality, theirs.client.municipality)
        assert mine.last_contact == theirs.last_contact
    return built


@pytest.fixture
def caseload(worker):
    """Cases that differ in everything the caseload filters and sorts by, and ties to break by id."""
    today = timezone.localdate()
    county = make_organisation(name="Hyvinvointialue (testi)", kind=OrganisationKind.WELLBEING_COUNTY)
    nurse = make_membership(unit=make_unit(organisation=county, name="Terveysasema"), role=Role.NURSE)
    people = [
        ("Aino", "Äijälä", "564", CaseStatus.SCREENING, 10, None, date(1999, 5, 1), False),
        ("Đuđđá", "Näkkäläjärvi", "091", CaseStatus.PLANNING, 40, 3, date(1970, 1, 1), True),
        ("Bo", "O'Brien-Lund", "564", CaseStatus.SCREENING, 100, -5, date(1960, 2, 29), False),
        ("Cecilia", "Aalto", "091", CaseStatus.IDENTIFIED, 0, -5, date(1996, today.month, 1), True),
        ("Eero", "Aalto", "564", CaseStatus.ACTIVE_SERVICES, 95, None, date(1985, 7, 7), False),
        ("Fanny_%", "Berg", "297", CaseStatus.FOLLOW_UP, 30, 20, date(2001, 12, 31), False),
    ]
    cases = []
    for first, last, municipality, status, in_status, next_step_in, born, interpreter in people:
        case = open_case_for(
            worker, first_names=first, last_name=last, municipality=municipality, opened_on=days_ago(200)
        )
        Case.objects.filter(pk=case.pk).update(
            status=status,
            status_changed_at=timezone.now() - timedelta(days=in_status, hours=1),
            next_step_on=today + timedelta(days=next_step_in) if next_step_in is not None else None,
            next_step="Soitto" if next_step_in is not None else "",
        )
        Client.objects.filter(pk=case.client_id).update(birth_date=born, needs_interpreter=interpreter)
        cases.append(case)
    for case, days in ((cases[0], 10), (cases[1], 120), (cases[3], 91), (cases[4], 90)):
        services.record_contact(
            case=case,
            by=worker,
            kind="meeting",
            happened_on=days_ago(days),
            note="Tavattiin.",
            register=Register.EMPLOYMENT,
        )
    # The county nurse's health contact the client has not disclosed to the city moves nothing.
    services.add_team_member(case=cases[2], member=nurse, by=worker, started_on=days_ago(100))
    services.add_team_member(case=cases[1], member=nurse, by=worker, started_on=days_ago(100))
    services.record_contact(
        case=cases[2],
        by=nurse,
        kind="meeting",
        happened_on=days_ago(1),
        note="Terveys.",
        register=Register.HEALTH,
    )
    return {"cases": cases, "nurse": nurse}


SORTS = [*selectors.CASELOAD_SORTS, *(f"-{sort}" for sort in selectors.CASELOAD_SORTS)]


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_is_the_orms(worker, caseload, sort):
    built = same_page(worker, sort=sort.lstrip("-"), descending=sort.startswith("-"))
    assert len(built) == 6


FILTERS = [
    {"status": CaseStatus.SCREENING},
    {"municipality": "091"},
    {"age": "under_30"},
    {"age": "30_54"},
    {"age": "55_plus"},
    {"in_status": "under_30_days"},
    {"in_status": "30_89_days"},
    {"in_status": "90_days_plus"},
    {"flag": selectors.Flag.OVERDUE},
    {"flag": selectors.Flag.INTERPRETER},
    {"flag": selectors.Flag.NO_RECENT_CONTACT},
    {"q": "aalto"},
    {"q": "Aalto, Eero"},
    {"q": "dudda nakka"},
    {"q": "o'brien"},
    {"q": "fanny_%"},
    {"q": "_"},
    {"q": "%"},
    {"q": "nobody"},
    {"status": CaseStatus.SCREENING, "municipality": "564", "sort": "name", "descending": True},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_every_filter_is_the_orms(worker, caseload, filters):
    same_page(worker, **filters)


def test_the_filters_find_what_they_say(worker, caseload):
    cases = caseload["cases"]
    assert {c.pk for c in same_page(worker, flag=selectors.Flag.NO_RECENT_CONTACT)} == {
        cases[1].pk,
        cases[2].pk,
        cases[3].pk,
        cases[5].pk,
    }
    assert [c.pk for c in same_page(worker, q="dudda")] == [cases[1].pk]
    assert [c.pk for c in same_page(worker, q="_")] == [cases[5].pk]
    assert same_page(worker, q="nobody") == []


def test_an_identity_code_finds_its_client_only(worker, caseload):
    code = "010101-123N"
    case = open_case_for(worker, identity_code=code, last_name="Koodi")
    assert [c.pk for c in same_page(worker, q=code)] == [case.pk]


def test_pages_and_a_team_members_caseload_are_the_orms(worker, caseload):
    assert len(same_page(worker, size=4)) == 4
    assert len(same_page(worker, size=4, number="2")) == 2
    assert len(same_page(worker, size=4, number="99")) == 2  # the last page
    assert len(same_page(worker, size=4, number="x")) == 4  # the first page
    nurse = caseload["nurse"]
    seen = same_page(nurse, sort="last_contact")
    assert {c.pk for c in seen} == {caseload["cases"][1].pk, caseload["cases"][2].pk}
    # The nurse's own health contact is hers to see.
    assert next(c for c in seen if c.pk == caseload["cases"][2].pk).last_contact == days_ago(1)


def test_an_empty_caseload_is_one_query(worker, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = selectors.caseload_page(
            viewer=worker, filters=selectors.CaseloadFilters(), number=None, size=25
        )
        assert list(page.object_list) == []
