"""Shared fixtures and helpers for the clients view tests (tests/clients/test_views_*.py)."""

import html
from datetime import date, timedelta

import pytest
from django.utils import timezone

from polku.accounts.models import Membership, Role
from polku.audit.models import AuditEvent
from polku.clients import services
from polku.clients.models import (
    BreakGlassAccess,
    Case,
    CaseStatusChange,
    CaseTeamMember,
    CaseWorkerChange,
    Client,
    Consent,
    Contact,
    TimelineEntry,
)
from tests.factories import make_case, make_membership, make_unit, make_user


def today() -> date:
    return timezone.localdate()


def days_ago(days: int) -> date:
    return today() - timedelta(days=days)


# Cases open a year back, so that contacts and team periods can be dated anywhere in the past year.
OPENED_ON_DAYS_AGO = 365


def open_case_for(by: Membership, **client_kwargs: object) -> Case:
    """A new client's open case owned by `by`, opened a year ago."""
    client_kwargs.setdefault("opened_on", days_ago(OPENED_ON_DAYS_AGO))
    return make_case(by=by, **client_kwargs)


def text(response) -> str:
    """The page as a user reads it: HTML entities (&#x27; and the like) decoded."""
    return html.unescape(response.content.decode())


def events(action: str, client: Client | None = None) -> list[AuditEvent]:
    found = AuditEvent.objects.filter(action=action)
    if client is not None:
        found = found.filter(client_id=client.public_id)
    return list(found.order_by("id"))


def stored_state() -> dict[str, object]:
    """Everything a clients view could change, to show that a refused or invalid request changed none of it."""
    return {
        "clients": list(Client.objects.order_by("id").values_list("id", "first_names", "last_name", "phone")),
        "cases": list(
            Case.objects.order_by("id").values_list(
                "id", "status", "closed_on", "outcome", "personal_worker_id", "next_step", "next_step_on"
            )
        ),
        "status_changes": CaseStatusChange.objects.count(),
        "worker_changes": CaseWorkerChange.objects.count(),
        "team": list(CaseTeamMember.objects.order_by("id").values_list("id", "ended_on")),
        "contacts": Contact.objects.count(),
        "consents": list(Consent.objects.order_by("id").values_list("id", "revoked_on")),
        "break_glass": BreakGlassAccess.objects.count(),
        "timeline": TimelineEntry.objects.count(),
    }


@pytest.fixture
def case(worker) -> Case:
    """The worker's open case of a new client."""
    return open_case_for(worker, first_names="Aino", last_name="Asiakas")


@pytest.fixture
def team_colleague(case, worker, colleague) -> Membership:
    """The nurse colleague, added to the case team by the personal worker."""
    services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(30))
    return colleague


@pytest.fixture
def unit_worker(worker) -> Membership:
    """Another personal worker in the worker's own unit, on none of the worker's teams."""
    return make_membership(
        user=make_user(first_name="Ulla", last_name="Yksikkö"), unit=worker.unit, role=Role.PERSONAL_WORKER
    )


@pytest.fixture
def job_coach(oulu) -> Membership:
    """An IPS job coach of the same organisation, not on the team."""
    return make_membership(unit=make_unit(organisation=oulu, name="IPS"), role=Role.JOB_COACH)


@pytest.fixture
def consent(case, worker, espoo, oulu) -> Consent:
    """The client's consent that Espoo may disclose employment services records to Oulu."""
    return services.record_consent(
        client=case.client,
        by=worker,
        discloser=espoo,
        recipient=oulu,
        covers_employment=True,
        purpose="Työkyvyn arviointi",
        valid_from=days_ago(60),
        method="written",
    )


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class World:
    """One client with everything each client URL needs: the worker's open case, a consent, the team
    colleague's team period, and spare staff to name in hand-over and team forms."""

    def __init__(self, *, worker: Membership, colleague: Membership, espoo, oulu) -> None:
        self.worker = worker
        self.espoo, self.oulu = espoo, oulu
        self.case = open_case_for(worker, first_names="Aino", last_name="Asiakas")
        self.client = self.case.client
        self.period = services.add_team_member(
            case=self.case, member=colleague, by=worker, started_on=days_ago(30)
        )
        self.consent = services.record_consent(
            client=self.client,
            by=worker,
            discloser=espoo,
            recipient=oulu,
            covers_employment=True,
            purpose="Työkyvyn arviointi",
            valid_from=days_ago(60),
            method="written",
        )
        self.spare_worker = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
        self.spare_nurse = make_membership(unit=worker.unit, role=Role.NURSE)

    def url(self, name: str) -> str:
        c, k = self.client.public_id, self.case.public_id
        return {
            "detail": f"/clients/{c}/",
            "edit": f"/clients/{c}/edit/",
            "identity_code": f"/clients/{c}/identity-code/",
            "access_report": f"/clients/{c}/access-report/",
            "export": f"/clients/{c}/export/",
            "export_json": f"/clients/{c}/export.json",
            "open_case": f"/clients/{c}/cases/new/",
            "record_consent": f"/clients/{c}/consents/new/",
            "revoke_consent": f"/consents/{self.consent.public_id}/revoke/",
            "change_status": f"/cases/{k}/status/",
            "close_case": f"/cases/{k}/close/",
            "hand_over": f"/cases/{k}/hand-over/",
            "next_step": f"/cases/{k}/next-step/",
            "add_team_member": f"/cases/{k}/team/add/",
            "end_team_membership": f"/team/{self.period.public_id}/end/",
            "record_contact": f"/cases/{k}/contacts/new/",
            "break_glass": f"/clients/{c}/break-the-glass/",
        }[name]

    def valid_post(self, name: str) -> dict[str, object]:
        """A POST body the page accepts from someone allowed to send it."""
        on = today().isoformat()
        return {
            "edit": {"first_names": "Aino", "last_name": "Uusinimi", "municipality": "564"},
            "identity_code": {},
            "open_case": {"source": "referral", "opened_on": on},
            "record_consent": {
                "discloser": self.case.unit.organisation.pk,
                "recipient": self.espoo.pk,
                "registers": ["health"],
                "purpose": "Kuntoutus",
                "valid_from": on,
                "method": "written",
            },
            "revoke_consent": {"revoked_on": on},
            "change_status": {"status": "screening"},
            "close_case": {"outcome": "studies", "closed_on": on},
            "hand_over": {"worker": self.spare_worker.pk, "note": "Tilanne ja sovitut asiat."},
            "next_step": {"step": "Arviointijakso", "due_on": (today() + timedelta(days=14)).isoformat()},
            "add_team_member": {"member": self.spare_nurse.pk, "started_on": on},
            # The browser sends at least the CSRF token; an empty body would leave the form unbound.
            "end_team_membership": {"confirm": "yes"},
            "record_contact": {
                "kind": "meeting",
                "happened_on": on,
                "register": "employment",
                "note": "Tapaaminen toimistolla.",
            },
        }[name]


# Every page about one client (GET), and the ones that take a POST.
CLIENT_GET_PAGES = [
    "detail",
    "edit",
    "access_report",
    "export",
    "export_json",
    "open_case",
    "record_consent",
    "revoke_consent",
    "change_status",
    "close_case",
    "hand_over",
    "next_step",
    "add_team_member",
    "end_team_membership",
    "record_contact",
]
CLIENT_POST_PAGES = [
    "edit",
    "identity_code",
    "open_case",
    "record_consent",
    "revoke_consent",
    "change_status",
    "close_case",
    "hand_over",
    "next_step",
    "add_team_member",
    "end_team_membership",
    "record_contact",
]
# What the case team's personal worker can do and any other team member cannot.
MANAGE_PAGES = [
    "change_status",
    "close_case",
    "hand_over",
    "next_step",
    "add_team_member",
    "end_team_membership",
]


@pytest.fixture
def world(worker, colleague, espoo, oulu) -> World:
    return World(worker=worker, colleague=colleague, espoo=espoo, oulu=oulu)
