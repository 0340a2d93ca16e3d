"""Flagging needs from facts, their evidence, and marking them acted on or dismissed."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from polku.audit.models import AuditEvent
from polku.clients import services as client_services
from polku.clients.models import TimelineEntry
from polku.screening import services
from polku.screening.models import NeedEvidence, NeedStatus, NeedStatusChange, ScreeningRule, SupportNeed
from polku.screening.services import screen_client
from tests.clients.conftest import days_ago
from tests.factories import make_case


def test_instrument_facts_flag_needs_with_their_evidence(case, worker):
    facts = {"phq9.score": 14, "phq9.band": "moderate", "phq9.item.9": 0, "was.score": 4, "was.band": "poor"}
    needs = screen_client(
        client=case.client, case=case, facts=facts, by=worker, source_description="PHQ-9 ja WAS"
    )
    assert sorted(need.kind for need in needs) == ["mental_health", "work_ability_assessment"]
    mental = next(need for need in needs if need.kind == "mental_health")
    assert mental.status == NeedStatus.OPEN and mental.case == case and mental.priority == 2
    [evidence] = mental.evidence.all()
    assert evidence.rule.code == "phq9-10" and evidence.rule.version == 1
    assert evidence.facts == {"phq9.score": 14}
    assert evidence.source == "PHQ-9 ja WAS" and evidence.by == worker
    assert NeedStatusChange.objects.filter(need=mental, status="open", by=worker).count() == 1
    assert TimelineEntry.objects.filter(client=case.client, kind="need.flagged").count() == 2
    assert AuditEvent.objects.filter(action="need.flag", client_id=case.client.public_id).count() == 2


def test_an_open_need_of_the_same_kind_gets_the_new_evidence_instead_of_a_twin(case, worker, phq9_need):
    [again] = screen_client(
        client=case.client,
        case=case,
        facts={"gad7.score": 15, "phq9.item.9": 2},
        by=worker,
        source_description="GAD-7",
    )
    assert again == phq9_need
    assert SupportNeed.objects.filter(client=case.client).count() == 1
    assert sorted(e.rule.code for e in again.evidence.all()) == ["gad7-10", "phq9-10", "phq9-item9"]
    again.refresh_from_db()
    assert again.priority == 1  # the urgent item 9 rule raised it


def test_the_same_evidence_twice_is_recorded_once(case, worker, phq9_need):
    assert (
        screen_client(
            client=case.client, case=case, facts={"phq9.score": 12}, by=worker, source_description="x"
        )
        == []
    )
    assert NeedEvidence.objects.count() == 1


def test_facts_that_match_nothing_flag_nothing(case, worker):
    assert (
        screen_client(
            client=case.client, case=case, facts={"phq9.score": 3}, by=worker, source_description="x"
        )
        == []
    )
    assert not SupportNeed.objects.exists()


def test_only_someone_who_sees_the_client_can_screen_them(case, outsider):
    with pytest.raises(Http404):
        screen_client(
            client=case.client, case=case, facts={"phq9.score": 20}, by=outsider, source_description="x"
        )
    assert not SupportNeed.objects.exists()


def test_a_need_is_acted_on_with_a_link_to_the_contact_and_the_change_is_history(case, worker, phq9_need):
    contact = client_services.record_contact(
        case=case,
        by=worker,
        kind="meeting",
        happened_on=days_ago(1),
        note="Ohjattu terveystarkastukseen.",
        register="employment",
    )
    need = services.act_on_need(need=phq9_need, by=worker, action=contact, note="Terveystarkastus varattu")
    assert need.status == NeedStatus.ACTED_ON
    assert need.action_type == "clients.contact" and need.action_id == str(contact.public_id)
    assert need.action_url == f"/clients/{case.client.public_id}/#timeline"
    assert [c.status for c in need.status_changes.all()] == ["open", "acted_on"]
    assert need.status_changes.last().by == worker
    assert TimelineEntry.objects.filter(kind="need.acted_on").exists()
    assert AuditEvent.objects.filter(action="need.act").exists()


def test_a_need_is_dismissed_with_a_reason(case, worker, phq9_need):
    need = services.dismiss_need(need=phq9_need, by=worker, reason="Hoitosuhde jo olemassa")
    assert (need.status, need.dismissal_reason) == (NeedStatus.DISMISSED, "Hoitosuhde jo olemassa")
    assert [c.status for c in need.status_changes.all()] == ["open", "dismissed"]
    with pytest.raises(ValidationError, match="already"):
        services.dismiss_need(need=need, by=worker, reason="Uudestaan")


def test_after_dismissal_new_evidence_opens_a_new_need(case, worker, phq9_need):
    services.dismiss_need(need=phq9_need, by=worker, reason="Hoitosuhde jo olemassa")
    [new] = screen_client(
        client=case.client, case=case, facts={"phq9.score": 20}, by=worker, source_description="x"
    )
    assert new != phq9_need and new.is_open


def test_dismissal_needs_a_reason(case, worker, phq9_need):
    with pytest.raises(ValidationError):
        services.dismiss_need(need=phq9_need, by=worker, reason=" ")
    phq9_need.refresh_from_db()
    assert phq9_need.is_open


def test_another_clients_case_is_not_an_action(case, worker, phq9_need):
    other = make_case(by=worker)
    with pytest.raises(ValidationError):
        services.act_on_need(need=phq9_need, by=worker, action=other)


def test_people_outside_the_team_cannot_change_a_need(case, phq9_need, outsider, unit_nurse):
    for who in (outsider, unit_nurse):
        with pytest.raises(Http404):
            services.dismiss_need(need=phq9_need, by=who, reason="Ei tarvetta")
    phq9_need.refresh_from_db()
    assert phq9_need.is_open


def test_revising_a_rule_makes_a_new_version_and_the_need_keeps_the_old(case, worker, phq9_need):
    old = ScreeningRule.objects.get(code="phq9-10", is_current=True)
    new = services.revise_rule(
        rule=old,
        by=worker,
        conditions={"match": "all", "conditions": [{"fact": "phq9.score", "op": "gte", "value": 15}]},
    )
    old.refresh_from_db()
    assert (old.is_current, new.is_current, new.version) == (False, True, 2)
    assert phq9_need.rule == old
    assert (
        screen_client(
            client=case.client, case=case, facts={"phq9.score": 14}, by=worker, source_description="x"
        )
        == []
    )
    with pytest.raises(ValidationError):
        services.revise_rule(
            rule=new,
            by=worker,
            conditions={"match": "all", "conditions": [{"fact": "nope", "op": "eq", "value": 1}]},
        )
    with pytest.raises(ValidationError):
        services.revise_rule(rule=old, by=worker, name="Vanha")
