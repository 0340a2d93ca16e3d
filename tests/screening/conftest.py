import pytest

from polku.accounts.models import Role
from polku.screening.services import screen_client
from tests.clients.conftest import open_case_for
from tests.factories import make_membership


@pytest.fixture
def case(worker):
    return open_case_for(worker, first_names="Aino", last_name="Asiakas")


@pytest.fixture
def phq9_need(case, worker):
    [need] = screen_client(
        client=case.client,
        case=case,
        facts={"phq9.score": 12, "phq9.band": "moderate"},
        by=worker,
        source_description="PHQ-9, 1.3.2026",
    )
    return need


@pytest.fixture
def unit_nurse(worker):
    """A nurse of the worker's unit, not on the case team."""
    return make_membership(unit=worker.unit, role=Role.NURSE)


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English; the Finnish and Swedish ones come from the translators."""
    from django.utils import translation

    with translation.override("en"):
        yield
