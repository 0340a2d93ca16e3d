"""`seed_demo` gives the Oulu manager two years of figures, targets and some hidden small cells, and
leaves the demo worker's own caseload as the other demos made it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from polku.accounts.models import Membership
from polku.audit.models import AuditEvent
from polku.clients.models import Case
from polku.insights.models import CaseFact, Target
from polku.network.models import Referral, ReferralStatus
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


def test_the_history_is_written_by_the_services_on_the_days_of_the_story(seeded):
    history = Case.objects.filter(unit__name__contains="historia")
    first = history.select_related("client").order_by("opened_on", "id").first()
    assert first is not None and first.opened_on < timezone.localdate() - timedelta(days=600)
    # The service's own audit event, dated on the story's day (`core.story_time`).
    created = AuditEvent.objects.get(action="client.create", client_id=first.client.public_id)
    assert timezone.localtime(created.at).date() == first.opened_on
    sent = Referral.objects.filter(case__in=history, sent_at__isnull=False)
    assert sent.count() > 100
    assert sent.filter(sent_at__date__lt=timezone.localdate() - timedelta(days=365)).count() > 20
    assert Referral.objects.filter(case__in=history, status=ReferralStatus.COMPLETED).exists()
    closed = history.filter(closed_on__isnull=False)
    assert closed.count() > 50
    assert (
        AuditEvent.objects.filter(
            action="case.close", client_id__in=[c.client.public_id for c in closed.select_related("client")]
        ).count()
        == closed.count()
    )
