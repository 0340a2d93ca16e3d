"""The placement panel's read written as SQL (`selectors.newest_placements`, `core.sql`) returns what the
ORM's `listed` reads, field for field, with the host unit, its organisation and the feedback given, on
SQLite and PostgreSQL alike, and keeps its rule: another organisation's placement only under the
client's consent to the viewer's organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from polku.accounts import permissions
from polku.clients import services as client_services
from polku.placements import selectors, services
from tests.clients.conftest import days_ago, today
from tests.factories import make_placement
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def same_placements(client, viewer, count=11) -> list:
    with permissions.decided_once():
        built = selectors.newest_placements(client, viewer=viewer, count=count)
    read = list(selectors.listed(client, viewer=viewer)[:count])
    assert [placement.pk for placement in built] == [placement.pk for placement in read]
    for mine, theirs in zip(built, read, strict=True):
        same(mine, theirs)
        assert (mine.has_mid_term_feedback, mine.has_final_feedback) == (
            theirs.has_mid_term_feedback,
            theirs.has_final_feedback,
        )
        assert mine.host_label == theirs.host_label
        assert mine.get_status_display() == theirs.get_status_display()
        if theirs.host_unit_id is None:
            assert mine.host_unit is None
        else:
            same(mine.host_unit, theirs.host_unit)
            same(mine.host_unit.organisation, theirs.host_unit.organisation)
    return built


def give_feedback(placement, worker, stage):
    sent = services.send_feedback_request(
        placement=placement,
        by=worker,
        stage=stage,
        email=placement.supervisor_email,
        build_url=lambda token: f"https://polku.example/feedback/{token}/",
        deliver=False,
    )
    services.submit_feedback(
        request=sent.request, ratings={}, recommendation="continue", given_by=placement.supervisor_name
    )


def test_the_panels_placements_are_the_orms_newest_first_with_the_feedback_given(case, worker, host):
    outside = make_placement(case=case, by=worker)
    in_polku = make_placement(
        case=case, by=worker, host_name="", host_unit=host.unit, starts_on=today() - timedelta(days=3)
    )
    ended = make_placement(
        case=case, by=worker, starts_on=days_ago(120), ends_on=days_ago(60), host_unit_name="Keittiö"
    )
    give_feedback(outside, worker, "mid_term")
    give_feedback(ended, worker, "mid_term")
    give_feedback(ended, worker, "final")

    built = same_placements(case.client, worker)
    assert [placement.pk for placement in built] == [in_polku.pk, outside.pk, ended.pk]
    assert [(p.has_mid_term_feedback, p.has_final_feedback) for p in built] == [
        (False, False),
        (True, False),
        (True, True),
    ]
    assert len(same_placements(case.client, worker, count=2)) == 2


def test_another_organisation_reads_them_only_under_consent(placement, case, worker, outsider, oulu, espoo):
    client_services.add_team_member(case=case, member=outsider, by=worker, started_on=days_ago(10))

    assert same_placements(case.client, outsider) == []
    client_services.record_consent(
        client=case.client,
        by=worker,
        discloser=oulu,
        recipient=espoo,
        covers_employment=True,
        purpose="Työkokeilun seuranta",
        valid_from=days_ago(1),
        method="written",
    )
    assert [p.pk for p in same_placements(case.client, outsider)] == [placement.pk]
