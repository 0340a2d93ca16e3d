"""seed_demo gives the demo a catalogue for Oulu, Espoo and Rovaniemi, valid as HSDS, and a few referrals
of the Oulu worker's clients (one overdue on the caseload), once."""

from io import StringIO

import pytest
from django.core.management import call_command

from polku.insights.demo import HISTORY_UNIT
from polku.network import hsds, selectors
from polku.network.models import Referral, Service


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


def test_the_demo_catalogue_and_referrals(db):
    call_command("seed_demo", stdout=StringIO())

    municipalities = set(Service.objects.values_list("locations__municipality__name_fi", flat=True))
    assert {"Oulu", "Espoo", "Rovaniemi"} <= municipalities
    assert Service.objects.filter(unit__isnull=False).exists()  # some answer referrals in Polku
    for item in hsds.export_services():
        assert hsds.schema_errors(item) == []
    # The demo stories' referrals; the figures' history (insights/demo.py) adds its own.
    stories = Referral.objects.exclude(case__unit__name=HISTORY_UNIT)
    assert sorted(stories.values_list("status", flat=True)) == ["draft", "sent", "started"]
    overdue = stories.get(status="sent")
    assert selectors.overdue_case_ids(overdue.created_by, [overdue.case]) == {overdue.case_id}

    before = (Service.objects.count(), Referral.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Service.objects.count(), Referral.objects.count()) == before
