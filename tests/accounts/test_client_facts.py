"""Within `decided_once` the rules read every fact about a viewer and a client in one query
(`access.ClientFacts`); outside it, each rule reads only its own fact. Both must answer alike."""

from datetime import timedelta

import pytest
from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Role
from polku.clients import access, services
from polku.clients.models import BreakGlassAccess, CaseOutcome, CaseTeamMember
from tests.clients.conftest import days_ago, open_case_for, today
from tests.factories import make_membership, make_unit

CLIENT_ACTIONS = [
    "client.view",
    "client.edit",
    "client.export",
    "client.access_report",
    "client.reveal_identity_code",
    "case.open",
    "consent.record",
    "need.screen",
]
CASE_ACTIONS = ["case.record_contact", "case.manage", "plan.edit"]


def answers(viewer, cases) -> dict[str, bool]:
    client = cases[0].client
    found = {action: permissions.can(viewer, action, client) for action in CLIENT_ACTIONS}
    for n, case in enumerate(cases):
        for action in CASE_ACTIONS:
            found[f"{action} #{n}"] = permissions.can(viewer, action, case)
        found[f"on team #{n}"] = access.is_on_team(viewer, case)
    found["on a client team"] = access.is_on_client_team(viewer, client)
    return found


def decided_alike(viewer, cases, django_assert_num_queries) -> dict[str, bool]:
    alone = answers(viewer, cases)
    # Within decided_once: one query for all the facts.
    with permissions.decided_once(), django_assert_num_queries(1):
        together = answers(viewer, cases)
    assert together == alone
    return alone


@pytest.fixture
def world(worker, colleague, outsider, oulu):
    """The worker's client with an open case and a closed one; the nurse on the open case's team, an
    ended team member, one starting next week, a personal worker within break-the-glass, and one of
    another unit who was the closed case's personal worker."""
    case = open_case_for(worker, first_names="Aino", last_name="Asiakas")
    services.add_team_member(case=case, member=colleague, by=worker, started_on=days_ago(30))
    ended = make_membership(unit=worker.unit, role=Role.NURSE)
    period = services.add_team_member(case=case, member=ended, by=worker, started_on=days_ago(30))
    services.end_team_membership(period=period, by=worker)
    later = make_membership(unit=worker.unit, role=Role.NURSE)
    CaseTeamMember.objects.create(
        case=case, membership=later, role=Role.NURSE, started_on=today() + timedelta(7), added_by=worker
    )
    glass = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
    services.break_glass(client=case.client, by=glass, reason="Asiakas soitti, oma työntekijä lomalla")
    expired = make_membership(unit=worker.unit, role=Role.PERSONAL_WORKER)
    BreakGlassAccess.objects.create(
        client=case.client, membership=expired, reason="vanha", expires_at=timezone.now() - timedelta(hours=1)
    )
    former = make_membership(unit=make_unit(organisation=oulu, name="Toinen"), role=Role.PERSONAL_WORKER)
    old = open_case_for(former)
    old.client = case.client
    old.save(update_fields=["client"])
    services.close_case(case=old, outcome=CaseOutcome.MOVED_AWAY, by=former)
    return {
        "cases": [case, old],
        "worker": worker,
        "nurse": colleague,
        "ended": ended,
        "later": later,
        "glass": glass,
        "expired": expired,
        "former": former,
        "outsider": outsider,
    }


@pytest.mark.parametrize(
    "who", ["worker", "nurse", "ended", "later", "glass", "expired", "former", "outsider"]
)
def test_the_facts_read_together_answer_as_the_rules_alone(world, who, django_assert_num_queries):
    decided_alike(world[who], world["cases"], django_assert_num_queries)


def test_what_the_facts_decide(world, django_assert_num_queries):
    cases = world["cases"]
    worker = decided_alike(world["worker"], cases, django_assert_num_queries)
    assert worker["client.export"] and worker["client.edit"] and worker["case.manage #0"]
    nurse = decided_alike(world["nurse"], cases, django_assert_num_queries)
    assert nurse["client.view"] and nurse["case.record_contact #0"] and nurse["client.edit"]
    assert not nurse["client.export"] and not nurse["on team #1"]
    for gone in ("ended", "later", "expired", "outsider"):
        assert not decided_alike(world[gone], cases, django_assert_num_queries)["client.view"], gone
    glass = decided_alike(world["glass"], cases, django_assert_num_queries)
    assert glass["client.view"] and not glass["client.edit"] and not glass["on a client team"]
    # The closed case's personal worker: no longer on its team, so the client is out of sight.
    former = decided_alike(world["former"], cases, django_assert_num_queries)
    assert not former["client.view"] and not former["client.export"]
