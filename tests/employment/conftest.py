"""Personas for the IPS tests: the Oulu job coach (in the personal worker's unit) on the team of the
personal worker's client, a second coach of the same organisation, the manager and the outsider of
tests/conftest.py, and an employer."""

from __future__ import annotations

from datetime import timedelta

import pytest

from polku.accounts.models import Membership, OrganisationKind, Role
from polku.clients import services as client_services
from polku.employment import services
from polku.employment.models import IpsPeriod
from tests.clients.conftest import EN, days_ago, events, open_case_for, text, today  # noqa: F401
from tests.factories import make_membership, make_organisation, make_unit


@pytest.fixture
def coach(worker) -> Membership:
    return make_membership(unit=worker.unit, role=Role.JOB_COACH)


@pytest.fixture
def other_coach(worker) -> Membership:
    return make_membership(unit=worker.unit, role=Role.JOB_COACH)


@pytest.fixture
def case(worker, coach):
    case = open_case_for(worker, first_names="Aino", last_name="Asiakas")
    client_services.add_team_member(case=case, member=coach, by=worker, started_on=days_ago(200))
    return case


def enter(case, coach, *, days: int = 0) -> IpsPeriod:
    return services.ips_enter(case=case, by=coach, on=today() - timedelta(days=days))


@pytest.fixture
def period(case, coach) -> IpsPeriod:
    return enter(case, coach, days=40)


@pytest.fixture
def employer(db):
    return make_organisation(name="Kahvila Testi Oy", kind=OrganisationKind.EMPLOYER, municipality_code="564")


@pytest.fixture
def host(employer) -> Membership:
    return make_membership(unit=make_unit(organisation=employer, name="Sali"), role=Role.WORK_TRIAL_HOST)
