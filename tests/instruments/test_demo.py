"""seed_demo gives some demo clients questionnaire answers over time, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from polku.audit.services import verify_chain
from polku.instruments.models import Response, SafetyAlert


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


def test_the_demo_clients_have_responses_over_time_and_one_open_alert(db):
    call_command("seed_demo", stdout=StringIO())

    responses = Response.objects.completed()
    assert responses.values("client").distinct().count() == 8
    assert responses.filter(version__instrument__code="was").count() >= 16
    dates = set(
        responses.filter(version__instrument__code="was").values_list("completed_at__date", flat=True)
    )
    assert len(dates) >= 10
    assert SafetyAlert.objects.filter(acknowledged_at__isnull=True).count() == 1
    assert verify_chain().ok

    before = Response.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Response.objects.count() == before
