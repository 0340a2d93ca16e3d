"""The client overview's support needs read as SQL (`selectors.panel_needs`) are `needs_for`'s, field for
field and object for object, on SQLite and PostgreSQL alike, and keep its rule: another organisation's
needs only under the client's consent for the need's register."""

from __future__ import annotations

import pytest

from polku.accounts import permissions
from polku.clients import services as client_services
from polku.clients.models import Register
from polku.screening import selectors, services
from polku.screening.models import SupportNeed
from tests.clients.conftest import days_ago
from tests.instruments.conftest import record
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def same_needs(viewer, client) -> list:
    with permissions.decided_once():
        panel = selectors.panel_needs(client, viewer=viewer)
    read = selectors.needs_for(client, viewer=viewer)
    assert [entry.need.pk for entry in panel] == [need.pk for need in read]
    for entry, need in zip(panel, read, strict=True):
        same(entry.need, need)
        same(entry.need.rule, need.rule)
        same(entry.need.organisation, need.organisation)
        evidence = list(need.evidence.all())
        assert [item.pk for item in entry.evidence] == [item.pk for item in evidence]
        for built, item in zip(entry.evidence, evidence, strict=True):
            same(built, item)
            same(built.rule, item.rule)
            if item.by is None:
                assert built.by is None
                continue
            same(built.by, item.by)
            same(built.by.user, item.by.user)
            same(built.by.unit, item.by.unit)
            same(built.by.unit.organisation, item.by.unit.organisation)
    return panel


def test_the_needs_are_the_orms_with_their_evidence_and_actors(case, worker, oulu):
    record(case, "phq9", 12)
    record(case, "was", 3)
    # Evidence nobody on the staff recorded: the client's own answers in their Polku.
    services.screen_client(
        client=case.client,
        case=case,
        facts={"phq9.score": 14, "phq9.band": "moderate"},
        by=None,
        organisation=oulu,
        actor={"client": True},
        source_description="PHQ-9, own answers",
        register=Register.HEALTH,
    )
    work_ability = SupportNeed.objects.get(client=case.client, register=Register.EMPLOYMENT)
    services.dismiss_need(need=work_ability, by=worker, reason="Hoidettu muualla")

    panel = same_needs(worker, case.client)
    assert len(panel) >= 2
    assert any(len(entry.evidence) > 1 for entry in panel)
    assert any(item.by is None for entry in panel for item in entry.evidence)
    assert not panel[-1].need.is_open


def test_another_organisation_reads_the_needs_only_under_consent(case, worker, outsider, oulu, espoo):
    record(case, "phq9", 12)  # Oulu's health record
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(3))
    assert same_needs(outsider, case.client) == []

    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_social=True,
        purpose="Yhteistyö",
        valid_from=days_ago(1),
        method="written",
    )
    assert same_needs(outsider, case.client) == []  # the consent does not cover health records

    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_health=True,
        purpose="Työkyvyn arviointi",
        valid_from=days_ago(1),
        method="written",
    )
    assert len(same_needs(outsider, case.client)) == 1
