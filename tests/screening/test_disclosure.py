"""A support need is a record of the organisation that flagged it, in the register of the facts that
flagged it: another organisation on the team sees it only under the client's consent, and acts only on
its own needs."""

from __future__ import annotations

import pytest
from django.http import Http404

from polku.clients import services as client_services
from polku.clients.models import Register
from polku.screening import services
from polku.screening.models import NeedKind, SupportNeed
from tests.clients.conftest import EN, days_ago, text
from tests.conftest import client_as
from tests.instruments.conftest import record


def overview(membership, case) -> str:
    return text(client_as(membership).get(f"/clients/{case.client.public_id}/", **EN))


@pytest.fixture
def espoo_on_team(case, worker, outsider):
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(3))
    return outsider


def test_a_need_flagged_from_phq9_answers_is_health_information_of_the_answering_organisation(worker, case):
    record(case, "phq9", 12)
    need = SupportNeed.objects.get(client=case.client, kind=NeedKind.MENTAL_HEALTH)
    assert (need.organisation, need.register) == (worker.unit.organisation, Register.HEALTH)


def test_a_need_flagged_from_work_ability_answers_is_an_employment_services_record(worker, case):
    record(case, "was", 3)
    need = SupportNeed.objects.get(client=case.client, kind=NeedKind.WORK_ABILITY_ASSESSMENT)
    assert need.register == Register.EMPLOYMENT


def test_another_organisation_on_the_team_does_not_see_the_need_without_consent(case, espoo_on_team):
    record(case, "phq9", 12)

    page = overview(espoo_on_team, case)
    assert "Mental health" not in page
    assert "phq9.score" not in page


def test_under_the_clients_consent_the_need_is_shown_but_only_its_organisation_acts_on_it(
    case, worker, espoo_on_team, oulu, espoo
):
    record(case, "phq9", 12)
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
    need = SupportNeed.objects.get(client=case.client, kind=NeedKind.MENTAL_HEALTH)

    page = overview(espoo_on_team, case)
    assert "Mental health" in page
    assert "Mark acted on" not in page
    with pytest.raises(Http404):
        services.dismiss_need(need=need, by=espoo_on_team, reason="Ei meidän asiamme")
    assert SupportNeed.objects.get(pk=need.pk).is_open


def test_screening_by_another_organisation_does_not_read_answers_it_may_not_see(case, espoo_on_team):
    record(case, "phq9", 14)  # Oulu's health record
    record(case, "was", 9, by=espoo_on_team)  # Espoo's answers: nothing to flag on their own

    assert not SupportNeed.objects.filter(organisation=espoo_on_team.unit.organisation).exists()
