"""Personas for the placement tests: the Oulu personal worker's client in a work trial at a unit in
Polku, that unit's work trial host, another unit's host, and the shared personas of tests/conftest.py."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from polku.accounts.models import Membership, OrganisationKind, Role
from polku.placements.models import Placement
from tests.clients.conftest import EN, days_ago, events, open_case_for, text, today  # noqa: F401
from tests.factories import make_membership, make_organisation, make_placement, make_unit


@pytest.fixture
def employer(db):
    return make_organisation(
        name="Konepaja Testi Oy", kind=OrganisationKind.EMPLOYER, municipality_code="564"
    )


@pytest.fixture
def host(employer) -> Membership:
    """The work trial host of the employer's workshop."""
    return make_membership(unit=make_unit(organisation=employer, name="Verstas"), role=Role.WORK_TRIAL_HOST)


@pytest.fixture
def other_host(employer) -> Membership:
    """A work trial host of another unit of the same employer."""
    return make_membership(unit=make_unit(organisation=employer, name="Varasto"), role=Role.WORK_TRIAL_HOST)


@pytest.fixture
def case(worker):
    return open_case_for(worker, first_names="Aino", last_name="Asiakas")


@pytest.fixture
def placement(case, worker, host) -> Placement:
    """The client's work trial at the host's workshop."""
    return make_placement(case=case, by=worker, host_name="", host_unit=host.unit)


LINK = re.compile(r"https?://[^\s]+/feedback/([A-Za-z0-9_-]+)/")


def sent_token() -> str:
    """The token in the newest email's link."""
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)
