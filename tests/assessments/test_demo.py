"""seed_demo adds a concluded assessment and two in progress, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from polku.assessments.models import Assessment, AssessmentHistory, Finding
from polku.audit.services import verify_chain


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


def test_the_demo_has_concluded_and_ongoing_assessments(db):
    call_command("seed_demo", stdout=StringIO())

    assert Assessment.objects.count() == 3
    assert Assessment.objects.filter(concluded_at__isnull=False).count() == 1
    assert Finding.objects.filter(domain="somatic").count() == 2
    assert AssessmentHistory.objects.filter(event="concluded").count() == 1
    assert verify_chain().ok

    call_command("seed_demo", stdout=StringIO())
    assert Assessment.objects.count() == 3
