"""`manage.py seed_demo`: the demo caseloads through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from polku.accounts.models import Membership
from polku.audit.models import AuditEvent
from polku.audit.services import verify_chain
from polku.clients import selectors
from polku.clients.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    Contact,
    Register,
    TimelineEntry,
)

OPEN_STATUSES = {status for status in CaseStatus.values if status != CaseStatus.CLOSED}
SCALE_EMAILS = "@scale.polku.example"
COUNTED = (Client, Case, CaseStatusChange, CaseWorkerChange, CaseTeamMember, Contact, Consent, TimelineEntry)


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*COUNTED, AuditEvent, Membership)}


def member(email: str) -> Membership:
    return Membership.objects.select_related("user", "unit__organisation").get(user__email=email)


def test_the_oulu_worker_gets_about_thirty_open_cases_in_every_status(db):
    seed()
    worker = member("worker@oulu.polku.example")
    cases = list(selectors.caseload(viewer=worker))
    assert 28 <= len(cases) <= 35
    assert {case.status for case in cases} == OPEN_STATUSES
    assert any(case.is_overdue for case in cases)
    assert any(case.next_step_on and not case.is_overdue for case in cases)
    assert any(case.client.needs_interpreter for case in cases)
    assert any(len(case.client.languages) > 1 for case in cases)
    closed = Case.objects.filter(opened_by=worker, closed_on__isnull=False)
    assert closed.count() >= 3
    assert all(case.outcome for case in closed)
    assert 8 <= len(selectors.caseload(viewer=member("worker@espoo.polku.example"))) <= 12


def test_the_nurse_and_the_job_coach_are_on_some_teams_and_record_their_own_registers(db):
    seed()
    nurse, coach = member("nurse@oulu.polku.example"), member("coach@oulu.polku.example")
    assert nurse.unit.organisation != member("worker@oulu.polku.example").unit.organisation
    assert len(selectors.caseload(viewer=nurse)) >= 5
    assert len(selectors.caseload(viewer=coach)) >= 3
    assert set(Contact.objects.filter(author=nurse).values_list("register", flat=True)) == {Register.HEALTH}
    assert Contact.objects.filter(author=coach).exists()


def test_consents_in_several_states_decide_what_the_worker_reads(db):
    seed()
    worker = member("worker@oulu.polku.example")
    consents = list(Consent.objects.select_related("discloser", "recipient"))
    today = timezone.localdate()
    assert any(c.is_valid_on() for c in consents)
    assert any(c.valid_until and c.valid_until < today and not c.revoked_on for c in consents)
    assert any(c.revoked_on and c.revoked_on <= today for c in consents)
    county_to_city = [c for c in consents if c.covers_health and c.recipient == worker.unit.organisation]
    assert county_to_city

    def reads_health_notes(client: Client) -> bool:
        return selectors.contacts_of(client, viewer=worker).filter(register=Register.HEALTH).exists()

    valid = [c.client for c in county_to_city if c.is_valid_on()]
    ended = [c.client for c in county_to_city if not c.is_valid_on() and c.client not in valid]
    assert any(reads_health_notes(client) for client in valid)
    assert ended
    assert not any(reads_health_notes(client) for client in ended)


def test_every_demo_case_has_its_history_and_the_audit_chain_holds(db):
    seed()
    for case in Case.objects.all():
        history = list(case.status_changes.order_by("at", "id").values_list("status", flat=True))
        assert history[0] == CaseStatus.IDENTIFIED
        assert history[-1] == case.status
        assert case.worker_changes.exists()
    assert TimelineEntry.objects.filter(kind="contact.recorded").exists()
    assert verify_chain().ok


def test_seeding_again_creates_nothing(db):
    seed()
    before = counts()
    seed()
    assert counts() == before
