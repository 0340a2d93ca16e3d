"""seed_demo adds a concluded assessment and two in progress, once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from polku.assessments.choices import Domain
from polku.assessments.models import Assessment, AssessmentHistory, Finding
from polku.audit.models import AuditEvent
from polku.audit.services import verify_chain
from polku.clients.models import TimelineEntry
from polku.insights.demo import HISTORY_UNIT


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


def stories():
    """The demo stories' assessments; the figures' history (insights/demo.py) adds its own."""
    return Assessment.objects.exclude(case__unit__name=HISTORY_UNIT)


def test_the_demo_has_concluded_and_ongoing_assessments(db):
    call_command("seed_demo", stdout=StringIO())

    assert stories().count() == 3
    assert stories().filter(concluded_at__isnull=False).count() == 1
    # The figures' history (insights demo) concludes assessments of its own; these are the stories'.
    assert Finding.objects.filter(domain="somatic", assessment__in=stories()).count() == 2
    assert AssessmentHistory.objects.filter(event="concluded", assessment__in=stories()).count() == 1
    assert verify_chain().ok
    # Every domain is covered in the concluded one: the demo's psychologist wrote the psychological finding.
    concluded = stories().get(concluded_at__isnull=False)
    assert set(concluded.findings.values_list("domain", flat=True)) == set(Domain.values)
    # The story's dates, not the seeding time: the timeline and the audit log say when it started.
    for assessment in stories():
        started = TimelineEntry.objects.get(kind="assessment.started", object_id=str(assessment.public_id))
        assert timezone.localtime(started.at).date() == assessment.started_on
        event = AuditEvent.objects.get(action="assessment.start", object_id=str(assessment.public_id))
        assert timezone.localtime(event.at).date() == assessment.started_on

    call_command("seed_demo", stdout=StringIO())
    assert stories().count() == 3
