"""`seed_demo` gives the Oulu manager two years of figures, targets and some hidden small cells, and
leaves the demo worker's own caseload as the other demos made it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from polku.accounts.models import Membership
from polku.clients.models import Case
from polku.insights.models import CaseFact, Target
from tests.conftest import client_as

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    settings.REQUIRE_MFA = False
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_manager_sees_two_years_of_figures_with_some_cells_hidden(seeded):
    assert "420 history cases" in seeded
    manager = Membership.objects.get(user__email="manager@oulu.polku.example")
    worker = Membership.objects.get(user__email="worker@oulu.polku.example")
    assert CaseFact.objects.count() == Case.objects.count()
    assert not CaseFact.objects.filter(worker=worker, case__unit__name__contains="historia").exists()
    browser = client_as(manager)
    year = timezone.localdate().year
    for shown in (year, year - 1):
        response = browser.get("/insights/", {"period": "year", "year": str(shown)}, **EN)
        assert response.status_code == 200
        assert response.context["figures"]["funnel"][0].cell.value > 100
    page = browser.get("/insights/", {"period": "year", "year": str(year)}, **EN).content.decode()
    assert "&lt; 5" in page
    assert Target.objects.filter(organisation=manager.unit.organisation).count() == 3
    call_command("seed_demo", stdout=StringIO())
    assert Target.objects.count() == 3 and CaseFact.objects.count() == Case.objects.count()
