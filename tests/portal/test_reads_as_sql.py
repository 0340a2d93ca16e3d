"""The portal panel's questionnaire requests and plan draft read as SQL (`team_panel.questionnaire_requests`,
`team_panel.plan_draft`, `core.sql`) are what the ORM reads, field for field, with the version, the
client's response and its band, on SQLite and PostgreSQL alike; the requests only of the cases asked
about and of units of the organisation asked about."""

from __future__ import annotations

import pytest

from polku.plans.models import PlanVersion, PlanVersionStatus
from polku.portal.models import QuestionnaireRequest
from polku.portal.selectors import team_panel
from tests.instruments.conftest import answers_for, version
from tests.portal.test_agree_plan import draft_plan
from tests.portal.test_pages import portal_as
from tests.portal.test_questionnaires import ask, form_data

pytestmark = pytest.mark.django_db


def fields(obj):
    """Every stored field of an object, as the ORM would read it back."""
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def same(built, read) -> None:
    assert type(built) is type(read) and fields(built) == fields(read)


def orm_requests(client, case_ids, organisation_id):
    """The ORM read the SQL replaced."""
    return list(
        QuestionnaireRequest.objects.filter(
            client=client, case_id__in=case_ids, case__unit__organisation_id=organisation_id
        )
        .select_related("version", "response__band")
        .order_by("-requested_at", "-id")[:10]
    )


def same_requests(client, case_ids, organisation_id) -> list:
    built = team_panel.questionnaire_requests(client, case_ids, organisation_id=organisation_id)
    read = orm_requests(client, case_ids, organisation_id)
    assert [request.pk for request in built] == [request.pk for request in read]
    for mine, theirs in zip(built, read, strict=True):
        same(mine, theirs)
        same(mine.version, theirs.version)
        assert mine.version.title_text() == theirs.version.title_text()
        if theirs.response is None:
            assert mine.response is None
            continue
        same(mine.response, theirs.response)
        if theirs.response.band is None:
            assert mine.response.band is None
        else:
            same(mine.response.band, theirs.response.band)
            assert mine.response.band.label_text() == theirs.response.band.label_text()
    return built


def test_the_requests_are_the_orms_with_version_response_and_band(case, worker, oulu, espoo):
    asked = ask(worker, case, "phq9")
    started = ask(worker, case, "gad7")
    answered = ask(worker, case, "auditc")
    browser = portal_as(case.client)
    gad7 = answers_for(version("gad7"), 9)
    browser.post(
        f"/portal/questionnaires/{started.public_id}/", form_data(dict(list(gad7.items())[:3]), "save")
    )
    browser.post(
        f"/portal/questionnaires/{answered.public_id}/",
        form_data(answers_for(version("auditc"), 9), "submit"),
    )

    built = same_requests(case.client, [case.pk], oulu.pk)
    assert {request.pk for request in built} == {asked.pk, started.pk, answered.pk}
    answered_request = next(request for request in built if request.pk == answered.pk)
    assert answered_request.is_completed and answered_request.response.band is not None
    started_request = next(request for request in built if request.pk == started.pk)
    assert not started_request.is_completed and len(started_request.response.answers) == 3
    # Not of the cases asked about, nor of another organisation's units.
    assert same_requests(case.client, [], oulu.pk) == []
    assert same_requests(case.client, [case.pk], espoo.pk) == []


def test_the_plan_draft_is_the_orms_newest_draft(case, worker):
    assert team_panel.plan_draft(case) is None
    draft = draft_plan(case)
    read = (
        PlanVersion.objects.filter(plan__case=case, status=PlanVersionStatus.DRAFT)
        .order_by("-number")
        .first()
    )
    built = team_panel.plan_draft(case)
    assert read is not None and read.pk == draft.pk
    same(built, read)
