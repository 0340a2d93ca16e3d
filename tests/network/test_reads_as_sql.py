"""The referrals panel's read written as SQL (`selectors.newest_referrals`, `core.sql`) returns what the
ORM's `readable_referrals` reads, field for field, on SQLite and PostgreSQL alike, and keeps its rule:
another organisation's referral only under the client's consent to the viewer's organisation."""

from __future__ import annotations

import pytest
from django.utils import timezone

from polku.accounts import permissions
from polku.clients import services as client_services
from polku.network import selectors
from tests.network.conftest import at_status, draft
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def same_referrals(client, viewer, count=11) -> list:
    with permissions.decided_once():
        built = selectors.newest_referrals(client, viewer=viewer, count=count)
    read = list(selectors.readable_referrals(client, viewer=viewer)[:count])
    assert [referral.pk for referral in built] == [referral.pk for referral in read]
    for mine, theirs in zip(built, read, strict=True):
        same(mine, theirs)
        same(mine.service, theirs.service)
        same(mine.service.provider, theirs.service.provider)
        same(mine.service.category, theirs.service.category)
        assert mine.is_overdue == theirs.is_overdue
    return built


def test_the_panels_referrals_are_the_orms_newest_first(case, worker, receiver, in_polku, external):
    at_status(case, in_polku, worker, receiver, "accepted")
    draft(case, external, worker)
    at_status(case, in_polku, worker, receiver, "declined")

    assert len(same_referrals(case.client, worker)) == 3
    assert len(same_referrals(case.client, worker, count=2)) == 2


def test_another_organisation_reads_them_only_under_consent(
    case, worker, outsider, receiver, in_polku, oulu, espoo
):
    at_status(case, in_polku, worker, receiver, "sent")
    client_services.add_team_member(case=case, member=outsider, by=worker)

    assert same_referrals(case.client, outsider) == []
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_health=True,
        purpose="Terveystarkastus",
        valid_from=timezone.localdate(),
        method="written",
    )
    assert len(same_referrals(case.client, outsider)) == 1


def test_a_worker_off_the_clients_teams_reads_none(case, worker, outsider, in_polku):
    draft(case, in_polku, worker)
    assert same_referrals(case.client, outsider) == []
