"""`manage.py seed_demo`: the demo caseloads through the services, and `--scale N` in bulk."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from polku.accounts.models import Membership
from polku.audit.models import AuditEvent, ChainHead
from polku.audit.services import verify_chain
from polku.clients import identity, selectors, services
from polku.clients.models import (
    Case,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    Contact,
    Municipality,
    Register,
    TimelineEntry,
)
from tests.factories import synthetic_identity_code

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


def test_scale_creates_the_clients_in_bulk_consistently_with_the_services(db):
    seed()
    before = counts()
    output = seed("--scale=200")
    created = {name: count - before[name] for name, count in counts().items()}
    synthetic = Client.objects.filter(created_by__user__email__endswith=SCALE_EMAILS)
    assert synthetic.count() == created["Client"] == 200
    assert "200 clients" in output
    for name in ("Case", "CaseStatusChange", "TimelineEntry", "AuditEvent", "Contact"):
        assert f"{name} " in output
    rows = sum(created[model.__name__] for model in COUNTED) + created["AuditEvent"]
    assert 35 * 200 <= rows <= 65 * 200

    cases = Case.objects.filter(client__in=synthetic)
    assert cases.count() == created["Case"] >= 200
    assert not cases.exclude(status_changes__status=CaseStatus.IDENTIFIED).exists()
    assert not cases.exclude(Exists(CaseWorkerChange.objects.filter(case=OuterRef("pk")))).exists()
    owner_on_team = CaseTeamMember.objects.filter(
        case=OuterRef("pk"), membership=OuterRef("personal_worker"), ended_on__isnull=True
    )
    assert not cases.filter(closed_on__isnull=True).exclude(Exists(owner_on_team)).exists()
    assert not CaseTeamMember.objects.filter(case__closed_on__isnull=False, ended_on__isnull=True).exists()
    assert {s for s in cases.values_list("status", flat=True)} >= OPEN_STATUSES | {CaseStatus.CLOSED}

    result = verify_chain()
    assert result.ok, result.first_break
    assert result.checked == ChainHead.objects.get().count == AuditEvent.objects.count()

    # Caseloads of realistic size, the demo worker's included.
    open_per_worker = (
        cases.filter(closed_on__isnull=True, personal_worker__user__email__endswith=SCALE_EMAILS)
        .values("personal_worker")
        .annotate(n=Count("id"))
    )
    assert all(10 <= row["n"] <= 70 for row in open_per_worker)
    assert 31 <= len(selectors.caseload(viewer=member("worker@oulu.polku.example"))) <= 60

    # The identity codes are valid, encrypted and found by their keyed hash.
    for client in synthetic[:20]:
        code = identity.decrypt(client.identity_code_encrypted)
        parsed = identity.parse(code)
        assert parsed.birth_date == client.birth_date and parsed.sex == client.sex
        assert client.identity_code_hash == identity.lookup_hash(code)
        assert client.identity_code_masked == identity.mask(code)


def test_scale_runs_once_and_the_application_writes_on_after_it(db):
    seed("--scale=200")
    before = counts()
    assert "already there" in seed("--scale=200")
    assert counts() == before

    worker = member("worker@oulu.polku.example")
    result = services.create_client(
        by=worker,
        identity_code=synthetic_identity_code(),
        first_names="Uusi",
        last_name="Asiakas",
        municipality=Municipality.objects.get(code="564"),
        source="self_referral",
    )
    assert result.case.pk > Case.objects.exclude(pk=result.case.pk).order_by("-pk").first().pk
    assert verify_chain().ok
