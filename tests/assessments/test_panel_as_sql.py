"""The client overview's assessments read as SQL (`selectors.panel_assessments`) are the ORM's, field for
field and object for object, on SQLite and PostgreSQL alike, with the same rule: the assessments in the
cases whose team the viewer is on now (not a case they have left, nor one they were never on)."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef
from django.utils import timezone

from polku.assessments.models import Assessment
from polku.assessments.selectors import assessments_panel, panel_assessments
from polku.clients import services as client_services
from polku.clients.models import CaseTeamMember
from tests.assessments.conftest import days_ago
from tests.clients.conftest import open_case_for
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


def orm_assessments(client, viewer) -> list[Assessment]:
    """The read as the ORM made it before."""
    on_team = CaseTeamMember.objects.filter(
        case=OuterRef("case"), membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate()
    )
    return list(
        Assessment.objects.filter(client=client)
        .filter(Exists(on_team))
        .select_related("case__unit")
        .order_by("-started_on", "-id")
    )


def same_assessments(viewer, client) -> list[Assessment]:
    built = panel_assessments(client, viewer=viewer)
    read = orm_assessments(client, viewer)
    assert [a.pk for a in built] == [a.pk for a in read]
    for assessment, orm in zip(built, read, strict=True):
        same(assessment, orm)
        same(assessment.case, orm.case)
        same(assessment.case.unit, orm.case.unit)
    return built


def test_the_assessments_are_the_orms_newest_first(assessment, worker, team_colleague, espoo_on_team):
    Assessment.objects.filter(pk=assessment.pk).update(
        conclusion="studies", summary="Yhteenveto", concluded_on=days_ago(3), concluded_at=timezone.now()
    )
    second = Assessment.objects.create(
        case=assessment.case,
        client=assessment.client,
        kind="focused",
        started_by=worker,
        started_on=days_ago(2),
    )
    # Another client's assessment is not this client's.
    other = open_case_for(worker, first_names="Bertta", last_name="Toinen")
    Assessment.objects.create(case=other, client=other.client, kind="focused", started_by=worker)

    built = same_assessments(worker, assessment.client)
    assert [a.pk for a in built] == [second.pk, assessment.pk]
    assert len(same_assessments(espoo_on_team, assessment.client)) == 2
    panel = assessments_panel(assessment.client, assessment.case, worker)
    assert panel is not None and panel["assessments"] == built and panel["can_start"] is False


def test_only_the_cases_whose_team_the_viewer_is_on_now(assessment, worker, team_colleague, outsider):
    assert len(same_assessments(team_colleague, assessment.client)) == 1
    assert same_assessments(outsider, assessment.client) == []  # never on the team
    period = assessment.case.team.get(membership=team_colleague)
    client_services.end_team_membership(period=period, by=worker)
    assert same_assessments(team_colleague, assessment.client) == []  # left the team
