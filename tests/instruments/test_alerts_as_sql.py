"""The safety alerts the client overview reads as SQL (`selectors.open_alerts`) are the ORM's, field for
field and object for object, on SQLite and PostgreSQL alike, with the same rule: the open alerts in the
cases whose team the viewer is on, of the responses the viewer may read (another organisation's only
under the client's consent for the response's register)."""

from __future__ import annotations

import pytest

from polku.accounts import permissions
from polku.clients import access
from polku.clients import services as client_services
from polku.instruments import selectors, services, services_client
from polku.instruments.models import Response, SafetyAlert
from tests.clients.conftest import today
from tests.instruments.conftest import answers_for, record, version
from tests.instruments.test_alert_disclosure import county_nurse  # noqa: F401 - a fixture
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def orm_alerts(client, viewer) -> list[SafetyAlert]:
    """The read as the ORM made it before."""
    readable = Response.objects.filter(client=client).filter(access.disclosed_records(viewer, client=client))
    return list(
        SafetyAlert.objects.filter(
            client=client, acknowledged_at__isnull=True, case_id__in=access.team_case_ids(viewer, client)
        )
        .filter(response__in=readable.values("pk"))
        .select_related("rule", "response__entered_by__user")
        .order_by("raised_at", "id")
    )


def same_alerts(viewer, client) -> list[SafetyAlert]:
    with permissions.decided_once():
        built = selectors.open_alerts(client, viewer=viewer)
    read = orm_alerts(client, viewer)
    assert [alert.pk for alert in built] == [alert.pk for alert in read]
    for alert, orm in zip(built, read, strict=True):
        same(alert, orm)
        same(alert.rule, orm.rule)
        same(alert.response, orm.response)
        if orm.response.entered_by is None:
            assert alert.response.entered_by is None
        else:
            same(alert.response.entered_by, orm.response.entered_by)
            same(alert.response.entered_by.user, orm.response.entered_by.user)
    return built


def test_the_open_alerts_are_the_orms_with_their_rule_and_enterer(case, worker):
    acknowledged = record(case, "phq9", 20, **{"9": "3"})
    services.acknowledge_alert(
        alert=SafetyAlert.objects.get(response=acknowledged), by=worker, note="Soitin."
    )
    record(case, "phq9", 18, **{"9": "2"})
    phq9 = version("phq9")
    services_client.record_client_response(
        case=case,
        version=phq9,
        answers=answers_for(phq9, 15, **{"9": "1"}),
        organisation=worker.unit.organisation,
        actor={"client": True},
    )

    alerts = same_alerts(worker, case.client)
    assert len(alerts) == 2
    assert alerts[0].response.entered_by == worker and alerts[1].response.entered_by is None


def test_another_organisations_alert_only_under_consent_and_only_on_the_team(case, worker, county_nurse):  # noqa: F811
    record(case, "phq9", 20, by=county_nurse, **{"9": "3"})
    assert same_alerts(worker, case.client) == []
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=county_nurse.unit.organisation,
        recipient=worker.unit.organisation,
        covers_health=True,
        purpose="Työkyvyn tuki",
        valid_from=today(),
        method="electronic",
    )
    assert len(same_alerts(worker, case.client)) == 1
    # Off the case's team, no alert of its cases, even of one's own organisation's answers.
    assert len(same_alerts(county_nurse, case.client)) == 1
    period = case.team.get(membership=county_nurse)
    client_services.end_team_membership(period=period, by=worker)
    assert same_alerts(county_nurse, case.client) == []
