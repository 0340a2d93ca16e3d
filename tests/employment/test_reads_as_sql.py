"""The IPS panel's periods written as SQL (`selectors.periods_of`, `core.sql`) are what the ORM reads,
field for field, with the coach, the coach's user and the organisation, newest first, on SQLite and
PostgreSQL alike, and keep their rule: another organisation's period only under the client's consent
to the viewer's organisation, nothing to a worker off the client's teams."""

from __future__ import annotations

import pytest

from polku.accounts import permissions
from polku.clients import access
from polku.clients import services as client_services
from polku.employment import selectors, services
from polku.employment.models import IpsPeriod
from tests.clients.conftest import days_ago
from tests.employment.conftest import enter
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def same_periods(client, viewer) -> list[IpsPeriod]:
    with permissions.decided_once():
        built = selectors.periods_of(client, viewer=viewer)
    read = (
        list(
            IpsPeriod.objects.filter(client=client)
            .filter(access.disclosed_records(viewer, client=client))
            .select_related("coach__user", "organisation")
        )
        if access.works_with_clients(viewer) and access.sees_client(viewer, client)
        else []
    )
    assert [period.pk for period in built] == [period.pk for period in read]
    for mine, theirs in zip(built, read, strict=True):
        same(mine, theirs)
        same(mine.coach, theirs.coach)
        same(mine.coach.user, theirs.coach.user)
        same(mine.organisation, theirs.organisation)
    return built


def test_the_periods_are_the_orms_newest_first(case, coach, worker):
    first = enter(case, coach, days=300)
    services.ips_change_phase(
        period=first, by=coach, phase="closed", on=days_ago(100), handover="Työ jatkuu."
    )
    second = enter(case, coach, days=40)

    assert [p.pk for p in same_periods(case.client, worker)] == [second.pk, first.pk]
    assert [p.pk for p in same_periods(case.client, coach)] == [second.pk, first.pk]


def test_another_organisation_reads_them_only_under_consent(case, coach, worker, outsider, oulu, espoo):
    period = enter(case, coach, days=40)
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(10))

    assert same_periods(case.client, outsider) == []
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työllistymisen tuki",
        valid_from=days_ago(1),
        method="written",
    )
    assert [p.pk for p in same_periods(case.client, outsider)] == [period.pk]


def test_a_worker_off_the_clients_teams_reads_none(case, coach, colleague):
    enter(case, coach, days=40)
    assert same_periods(case.client, colleague) == []
