"""A safety alert tells what the answers were: it is shown like the response that raised it. A PHQ-9 the
county's nurse records, whose health register the client has not disclosed to the city, raises an alert
that the city's worker on the same team does not see — not on the overview, not as a caseload flag,
not on the timeline — and cannot acknowledge; under the client's consent they do."""

import pytest
from django.core.exceptions import PermissionDenied

from polku.accounts.models import OrganisationKind, Role
from polku.clients import services as client_services
from polku.clients import timeline
from polku.instruments import panels, services
from polku.instruments.models import SafetyAlert
from tests.clients.conftest import today
from tests.factories import make_membership, make_organisation, make_unit
from tests.instruments.conftest import record


@pytest.fixture
def county_nurse(case, worker):
    county = make_organisation(name="Hyvinvointialue (testi)", kind=OrganisationKind.WELLBEING_COUNTY)
    nurse = make_membership(unit=make_unit(organisation=county, name="Terveysasema"), role=Role.NURSE)
    client_services.add_team_member(case=case, member=nurse, by=worker)
    return nurse


def seen_by(viewer, case):
    return {
        "panel": panels.safety_alerts(case.client, case, viewer),
        "flag": panels.safety_alert_cases(viewer, [case]),
        "timeline": [e.kind for e in timeline.for_client(case.client, viewer=viewer) if "alert" in e.kind],
    }


def test_another_organisations_alert_is_hidden_without_consent_and_shown_with_it(case, worker, county_nurse):
    record(case, "phq9", 20, by=county_nurse, **{"9": "3"})
    alert = SafetyAlert.objects.get()

    assert seen_by(worker, case) == {"panel": None, "flag": set(), "timeline": []}
    with pytest.raises(PermissionDenied):
        services.acknowledge_alert(alert=alert, by=worker, note="Soitin.")
    # The nurse, whose record it is, sees it and acts on it.
    assert seen_by(county_nurse, case)["flag"] == {case.pk}

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
    shown = seen_by(worker, case)
    assert (shown["panel"]["alerts"], shown["flag"], shown["timeline"]) == (
        [alert],
        {case.pk},
        ["safety_alert.raised"],
    )
