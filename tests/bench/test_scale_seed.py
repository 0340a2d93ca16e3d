"""`python -m bench.scale_seed`: synthetic clients in bulk, row for row what the services write, with
their audit events in the chain through the audit app's own functions."""

from collections import Counter
from io import StringIO
from uuid import UUID

import pytest
from django.core.management import call_command
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from bench.scale_seed.seeder import seed
from polku.accounts.models import Membership, Role
from polku.audit.models import AuditEvent, ChainHead
from polku.audit.services import verify_chain
from polku.clients import identity, selectors, services
from polku.clients.models import (
    Case,
    CaseOutcome,
    CaseStatus,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    ConsentMethod,
    Contact,
    ContactKind,
    Municipality,
    Register,
    TimelineEntry,
)
from polku.clients.timeline import consent_names
from polku.core.names import SWEDISH_SUFFIX
from tests import totp
from tests.conftest import client_as
from tests.factories import synthetic_identity_code

OPEN_STATUSES = {status for status in CaseStatus.values if status != CaseStatus.CLOSED}
SCALE_EMAILS = "@scale.polku.example"
CLIENT_TABLES = {
    Case: "client",
    CaseStatusChange: "case__client",
    CaseWorkerChange: "case__client",
    CaseTeamMember: "case__client",
    Contact: "client",
    Consent: "client",
    TimelineEntry: "client",
}
COUNTED = (Client, *CLIENT_TABLES)


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    settings.DEBUG = True


@pytest.fixture
def demo(demo_once, db):
    """The demo seeded once for this module (tests/conftest.py); what a test adds is rolled back after it."""


def scale_seed(scale: int) -> str:
    out = StringIO()
    seed(scale=scale, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*COUNTED, AuditEvent, Membership)}


def member(email: str) -> Membership:
    return Membership.objects.select_related("user", "unit__organisation").get(user__email=email)


def synthetic_clients():
    return Client.objects.filter(created_by__user__email__endswith=SCALE_EMAILS)


def test_the_bulk_clients_have_cases_histories_teams_and_an_intact_audit_chain(demo):
    before = counts()
    output = scale_seed(200)
    created = {name: count - before[name] for name, count in counts().items()}
    synthetic = synthetic_clients()
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
    assert set(cases.values_list("status", flat=True)) >= OPEN_STATUSES | {CaseStatus.CLOSED}

    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert f"Audit chain intact: {AuditEvent.objects.count()} events verified." in out.getvalue()
    assert ChainHead.objects.get().count == AuditEvent.objects.count()

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


def service_made_client() -> Client:
    """One client whose path goes through every service the bulk seeder stands in for, and one view of
    the client's page."""
    worker, nurse = member("worker@oulu.polku.example"), member("nurse@oulu.polku.example")
    colleague = (
        Membership.objects.filter(
            unit__organisation=worker.unit.organisation, role=worker.role, user__email__endswith=SCALE_EMAILS
        )
        .select_related("user", "unit__organisation")
        .first()
    )
    today = timezone.localdate()
    case = services.create_client(
        by=worker,
        identity_code=synthetic_identity_code(),
        first_names="Palvelu",
        last_name="Polku",
        municipality=Municipality.objects.get(code="564"),
        source="self_referral",
    ).case
    client = case.client
    services.change_status(case=case, status=CaseStatus.SCREENING, by=worker)
    period = services.add_team_member(case=case, member=nurse, by=worker, responsibility="Terveys")
    for author, register in (
        (worker, Register.EMPLOYMENT),
        (worker, Register.SOCIAL),
        (nurse, Register.HEALTH),
    ):
        services.record_contact(
            case=case,
            by=author,
            kind=ContactKind.MEETING,
            happened_on=today,
            note="Tapaaminen.",
            register=register,
            duration_minutes=30,
        )
    consent = services.record_consent(
        client=client,
        by=nurse,
        discloser=nurse.unit.organisation,
        recipient=worker.unit.organisation,
        purpose="Työkyvyn arviointi",
        valid_from=today,
        method=ConsentMethod.WRITTEN,
        covers_health=True,
    )
    services.record_consent(
        client=client,
        by=worker,
        discloser=worker.unit.organisation,
        recipient=nurse.unit.organisation,
        purpose="Työkyvyn arviointi",
        valid_from=today,
        method=ConsentMethod.WRITTEN,
        covers_social=True,
        covers_employment=True,
    )
    services.revoke_consent(consent=consent, by=worker, revoked_on=today, note="Peruttu.")
    services.plan_next_step(case=case, step="Seurantatapaaminen", due_on=today, by=worker)
    totp.activate(worker.user, totp.new_secret())  # staff pages need the second factor set up
    assert client_as(worker).get(f"/clients/{client.public_id}/").status_code == 200
    services.end_team_membership(period=period, by=worker)
    services.assign_personal_worker(case=case, worker=colleague, by=worker, note="Siirto.")
    services.close_case(case=case, outcome=CaseOutcome.STUDIES, by=colleague)
    return client


def audit_shapes(clients) -> set[tuple]:
    """What each audit event says, without the values that differ from client to client."""
    events = AuditEvent.objects.filter(client_id__in=[c.public_id for c in clients])
    return {
        (
            e.action,
            e.object_type,
            tuple(sorted(e.details)),
            bool(e.actor_id and e.actor_label and e.membership_id and e.organisation_id and e.role),
            bool(e.request_id),
            e.ip is not None,
            e.basis.get("kind"),
            e.basis.get("role") == e.role if e.basis.get("kind") == "team" else None,
        )
        for e in events
    }


def timeline_shapes(clients) -> set[tuple]:
    """What each entry says. A name's Swedish companion (`core.names.both`) is there only where the
    organisation has a Swedish name, so the shape counts the name once; `assert_names_as_services_store_them`
    checks the companions."""
    entries = TimelineEntry.objects.filter(client__in=clients)
    return {
        (
            e.kind,
            e.object_type,
            tuple(sorted({key.removesuffix(SWEDISH_SUFFIX) for key in e.params})),
            e.register,
            e.case_id is not None,
            e.actor_id is not None and e.organisation_id is not None,
        )
        for e in entries
    }


def assert_names_as_services_store_them(clients) -> None:
    """Consent entries hold the names `clients.timeline.consent_names` gives, Swedish ones included."""
    entries = TimelineEntry.objects.filter(client__in=clients, kind__startswith="consent.")
    consents = Consent.objects.select_related("discloser", "recipient").in_bulk(
        [e.object_id for e in entries], field_name="public_id"
    )
    assert entries and consents
    for entry in entries:
        assert entry.params == consent_names(consents[UUID(entry.object_id)]), entry.kind


def tables_of(client: Client) -> set[str]:
    """The tables that hold rows of the client."""
    filled = {
        model.__name__
        for model, lookup in CLIENT_TABLES.items()
        if model.objects.filter(**{lookup: client}).exists()
    }
    return filled | (
        {"AuditEvent"} if AuditEvent.objects.filter(client_id=client.public_id).exists() else set()
    )


def objects_named(model, action: str, object_ids) -> Counter:
    """How many times each object is named by an audit event of the action (or a timeline entry of the
    kind, for a TimelineEntry model)."""
    field = "kind" if model is TimelineEntry else "action"
    rows = model.objects.filter(**{field: action, "object_id__in": list(object_ids)})
    return Counter(rows.values_list("object_id", flat=True))


def assert_each_write_has_its_timeline_entry_and_audit_event(clients) -> None:
    """What every service keeps: each contact, consent, added team member and case has the timeline entry
    and the audit event of the call that made it, and each later status and hand-over of a case has its
    own, all naming the object by its public id."""
    made_by_a_call = [
        ("contact.recorded", "contact.record", Contact.objects.filter(client__in=clients)),
        ("consent.recorded", "consent.record", Consent.objects.filter(client__in=clients)),
        ("case.opened", "case.open", Case.objects.filter(client__in=clients)),
        # The personal workers' periods come with the case and the hand-over, without events of their own.
        (
            "team.member_added",
            "team.add",
            CaseTeamMember.objects.filter(case__client__in=clients).exclude(role=Role.PERSONAL_WORKER),
        ),
    ]
    for kind, action, rows in made_by_a_call:
        once = Counter(str(public_id) for public_id in rows.values_list("public_id", flat=True))
        assert once
        assert objects_named(TimelineEntry, kind, once) == once, kind
        assert objects_named(AuditEvent, action, once) == once, action

    cases = Case.objects.filter(client__in=clients).annotate(
        changes=Count("status_changes", distinct=True), owners=Count("worker_changes", distinct=True)
    )
    later_statuses = Counter({str(case.public_id): case.changes - 1 for case in cases})
    hand_overs = Counter({str(case.public_id): case.owners - 1 for case in cases})
    for model, kinds in (
        (TimelineEntry, ["case.status_changed", "case.closed"]),
        (AuditEvent, ["case.status", "case.close"]),
    ):
        named = sum((objects_named(model, kind, later_statuses) for kind in kinds), Counter())
        assert named == later_statuses, kinds
    assert objects_named(TimelineEntry, "case.worker_assigned", hand_overs) == hand_overs
    assert objects_named(AuditEvent, "case.assign", hand_overs) == hand_overs


def test_bulk_clients_hold_what_the_services_write_for_the_same_path(demo):
    scale_seed(200)
    made = service_made_client()
    bulk = list(synthetic_clients())

    assert audit_shapes(bulk) <= audit_shapes([made])
    assert {shape[0] for shape in audit_shapes(bulk)} == {shape[0] for shape in audit_shapes([made])}
    assert timeline_shapes(bulk) <= timeline_shapes([made])
    assert_names_as_services_store_them(bulk)
    assert {shape[0] for shape in timeline_shapes(bulk)} == {shape[0] for shape in timeline_shapes([made])}
    fullest = max(bulk, key=lambda client: len(tables_of(client)))
    assert tables_of(fullest) == tables_of(made)
    assert_each_write_has_its_timeline_entry_and_audit_event([made])
    assert_each_write_has_its_timeline_entry_and_audit_event(bulk)
    assert verify_chain().ok


def test_seeding_again_adds_nothing_and_the_application_writes_on_after_it(demo):
    scale_seed(200)
    before = counts()
    assert "already there" in scale_seed(200)
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


def test_the_bulk_clients_never_share_an_identity_code_with_the_demos_people(demo):
    """The bench seeds 100,000 clients on top of the demo; a shared code stops the seeding on the
    unique identity-code hash (it once did after 54,000 clients, from the registry extract's people)."""
    from bench.scale_seed.people import scale_person
    from polku.intake.models import RegistryPerson

    demo_hashes = set(Client.objects.values_list("identity_code_hash", flat=True))
    demo_hashes |= set(RegistryPerson.objects.values_list("identity_code_hash", flat=True))
    assert RegistryPerson.objects.exists() and len(demo_hashes) > 60
    bulk = {identity.lookup_hash(scale_person(index)[0]) for index in range(100_000)}
    assert len(bulk) == 100_000  # every bulk client its own code
    assert not bulk & demo_hashes
