"""`seed_demo` imports a small synthetic extract so that the demo worker's worklist has people on it."""

from io import StringIO

import pytest
from django.core.management import call_command

from polku.accounts.models import Membership
from polku.intake.models import RegistryExtract, RegistryPerson
from tests.conftest import client_as


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    settings.REQUIRE_MFA = False  # as under `make run`
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_worker_has_a_worklist_and_a_second_run_adds_nothing(seeded):
    worker = Membership.objects.get(user__email="worker@oulu.polku.example")
    assert "Demo registry extract: 60 people" in seeded
    assert RegistryPerson.objects.filter(unit=worker.unit).count() == 60
    response = client_as(worker).get("/intake/worklist/")
    assert response.status_code == 200 and len(response.context["rows"]) > 5
    call_command("seed_demo", stdout=StringIO())
    assert RegistryExtract.objects.count() == 1 and RegistryPerson.objects.count() == 60
