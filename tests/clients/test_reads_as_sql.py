"""The overview's own reads written as SQL (`core.sql`: `cases_of`, `team_of`, `consents_of`,
`client_for`) return what the ORM reads, field for field and object for object, on SQLite and
PostgreSQL alike, and keep their rules: a case of another organisation only to its team, the consents
of the viewer's own part."""

from __future__ import annotations

from datetime import date

import pytest

from polku.accounts import permissions
from polku.clients import selectors, services
from polku.clients.models import Case, CaseTeamMember, Client, Consent
from tests.factories import make_case, make_case_after_break_glass, make_membership, make_unit
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def test_the_cases_are_the_orms_with_their_unit_organisation_and_worker(worker, outsider, oulu):
    own = make_case(by=worker, languages=["fi", "se"], municipality="091")
    client = own.client
    elsewhere = make_case_after_break_glass(by=outsider, client=client, opened_on=date(2026, 3, 2))
    services.close_case(case=own, outcome="studies", by=worker, closed_on=date(2026, 3, 1))

    # Another organisation's case is not the viewer's to know of.
    with permissions.decided_once():
        assert [case.pk for case in selectors.cases_of(client, viewer=worker)] == [own.pk]
    # On its team, the viewer knows of that case too, the open case first; inside and outside a
    # request's `decided_once` alike.
    services.add_team_member(case=elsewhere, member=worker, by=outsider, started_on=date(2026, 3, 2))
    assert [case.pk for case in selectors.cases_of(client, viewer=worker)] == [elsewhere.pk, own.pk]
    with permissions.decided_once():
        cases = selectors.cases_of(client, viewer=worker)
    assert [case.pk for case in cases] == [elsewhere.pk, own.pk]
    for case in cases:
        read = Case.objects.select_related("unit__organisation", "personal_worker__user").get(pk=case.pk)
        same(case, read)
        same(case.unit, read.unit)
        same(case.unit.organisation, read.unit.organisation)
        same(case.personal_worker, read.personal_worker)
        same(case.personal_worker.user, read.personal_worker.user)
        assert case.client is client


def test_the_client_is_the_orms_with_their_municipality(worker):
    client = make_case(by=worker, languages=["fi", "se"], municipality="091").client
    found = selectors.client_for(viewer=worker, public_id=client.public_id)
    read = Client.objects.select_related("municipality").get(pk=client.pk)
    same(found, read)
    same(found.municipality, read.municipality)
    assert found.languages == ["fi", "se"]


def test_the_team_is_the_orms_current_first(worker, colleague):
    case = make_case(by=worker)
    nurse = make_membership(
        unit=make_unit(organisation=worker.unit.organisation, name="Terveys"), role="nurse"
    )
    services.add_team_member(case=case, member=colleague, by=worker, started_on=date(2026, 1, 10))
    services.add_team_member(case=case, member=nurse, by=worker, started_on=date(2026, 1, 12))
    ended = CaseTeamMember.objects.get(case=case, membership=colleague)
    services.end_team_membership(period=ended, by=worker)

    team = selectors.team_of(case)
    assert [period.membership_id for period in team] == [worker.pk, nurse.pk, colleague.pk]
    for period in team:
        read = CaseTeamMember.objects.select_related(
            "membership__user", "membership__unit__organisation"
        ).get(pk=period.pk)
        same(period, read)
        same(period.membership, read.membership)
        same(period.membership.user, read.membership.user)
        same(period.membership.unit, read.membership.unit)
        same(period.membership.unit.organisation, read.membership.unit.organisation)
        assert period.case is case
    assert [period.membership_id for period in selectors.team_of(case, include_ended=False)] == [
        worker.pk,
        nurse.pk,
    ]


def test_the_consents_are_the_orms_and_a_third_organisation_sees_only_its_own(worker, outsider, oulu, espoo):
    case = make_case(by=worker)
    client = case.client
    third = make_membership(unit=make_unit(), role="personal_worker")
    values = {"purpose": "Yhteistyö", "method": "written", "covers_social": True}
    first = services.record_consent(
        client=client, by=worker, discloser=oulu, recipient=espoo, valid_from=date(2026, 1, 10), **values
    )
    second = services.record_consent(
        client=client, by=worker, discloser=espoo, recipient=oulu, valid_from=date(2026, 1, 20), **values
    )

    consents = selectors.consents_of(client)
    assert [consent.pk for consent in consents] == [second.pk, first.pk]
    for consent in consents:
        read = Consent.objects.select_related("discloser", "recipient").get(pk=consent.pk)
        same(consent, read)
        same(consent.discloser, read.discloser)
        same(consent.recipient, read.recipient)
    # The client's own personal worker in the organisation holding the record sees every consent; a
    # worker of a third organisation (through break-the-glass) none of these two organisations'.
    assert len(selectors.consents_of(client, viewer=worker)) == 2
    make_case_after_break_glass(by=third, client=client)
    assert selectors.consents_of(client, viewer=third) == []
