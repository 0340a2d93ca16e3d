"""Fixtures for the assessment tests: the clients personas (tests/conftest.py and tests/clients/conftest.py:
the Oulu personal worker, the nurse colleague, the Espoo outsider, the manager) and an assessment in the
worker's case with the nurse invited for the somatic domain."""

from __future__ import annotations

import pytest

from polku.accounts.models import Role
from polku.assessments import conclusion
from polku.assessments import services as assessment_services
from polku.assessments.choices import AssessmentKind, Domain
from polku.assessments.models import Assessment
from polku.clients import services as client_services
from tests.clients.conftest import *  # noqa: F403 - the clients personas and helpers
from tests.clients.conftest import EN, days_ago, open_case_for, today  # noqa: F401 - re-exported
from tests.factories import make_membership


@pytest.fixture
def assessment(case, worker, team_colleague) -> Assessment:
    """A comprehensive assessment in the worker's case, the nurse invited for the somatic domain."""
    started = assessment_services.start_assessment(
        case=case, by=worker, kind=AssessmentKind.COMPREHENSIVE, started_on=days_ago(10)
    )
    assessment_services.invite_to_assessment(
        assessment=started, member=team_colleague, domain=Domain.SOMATIC, by=worker
    )
    return started


@pytest.fixture
def espoo_on_team(case, worker, outsider):
    """Espoo's personal worker on the case team (another organisation)."""
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(5))
    return outsider


@pytest.fixture
def other_case(worker):
    """Another client's case of the same worker."""
    return open_case_for(worker, first_names="Bertta", last_name="Toinen")


@pytest.fixture
def psychologist(worker):
    return make_membership(unit=worker.unit, role=Role.PSYCHOLOGIST)


def finding(assessment, by, domain=Domain.SOMATIC, text="Selkä kipeä pitkään seistessä.", **kwargs):
    return assessment_services.record_finding(
        assessment=assessment, by=by, domain=domain, text=text, **kwargs
    )


def meeting(assessment, by, client_view="Haluan takaisin työelämään, mutta en raskaaseen työhön."):
    return assessment_services.record_meeting(
        assessment=assessment,
        by=by,
        held_on=days_ago(2),
        participants="Asiakas, omatyöntekijä, sairaanhoitaja",
        client_view=client_view,
    )


def conclude(assessment, by, **kwargs):
    kwargs.setdefault("conclusion", "supported_employment")
    kwargs.setdefault("summary", "Työkyky riittää kevyeen työhön tuettuna.")
    kwargs.setdefault("recommendations", ["IPS-työhönvalmennus", "Fysioterapia selälle"])
    # The domains left without findings, confirmed as the form asks (tests/assessments/test_empty_domains.py).
    kwargs.setdefault("empty_domains_confirmed", Domain.values)
    return conclusion.conclude_assessment(assessment=assessment, by=by, **kwargs)
