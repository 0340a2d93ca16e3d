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
from tests.sql_reads import same

pytestmark = pytest.mark.django_db


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


def orm_lists(client, case_ids):
    """What the ORM reads for the panel's three lists (the reads the one SQL statement replaced)."""
    from polku.plans.models import Goal, PlanAction
    from polku.portal.models import ActionMark, GoalSelfRating, Message

    goals = {goal.key: goal.text for goal in Goal.objects.order_by("id")}
    actions = {action.key: action.what for action in PlanAction.objects.order_by("id")}
    messages = [
        team_panel.PanelMessage(
            at=message.at,
            from_client=message.author is None,
            author_name=message.author.user.get_full_name() if message.author else "",
            text=message.text,
        )
        for message in Message.objects.filter(client=client, case_id__in=case_ids)
        .select_related("author__user")
        .order_by("-at", "-id")[:10]
    ]
    ratings = [
        team_panel.PanelRating(at=r.at, goal_text=goals.get(r.goal_key, ""), level=r.level, note=r.note)
        for r in GoalSelfRating.objects.filter(client=client, case_id__in=case_ids).order_by("-at", "-id")[
            :10
        ]
    ]
    marks = [
        team_panel.PanelMark(
            at=m.at, action_text=actions.get(m.action_key, ""), done=m.done, comment=m.comment
        )
        for m in ActionMark.objects.filter(client=client, case_id__in=case_ids).order_by("-at", "-id")[:10]
    ]
    return messages, ratings, marks


def test_the_messages_ratings_and_marks_are_the_orms_in_one_query(case, worker, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from polku.plans.models import PlanAction
    from polku.portal.models import ActionMark, GoalSelfRating, Message
    from tests.factories import make_case
    from tests.portal.test_plan import agreed_plan_with_my_action

    client = case.client
    with django_assert_num_queries(1):
        assert team_panel.panel_lists(client, [case.pk]) == ([], [], [])

    plan = agreed_plan_with_my_action(case)
    goal = plan.versions.get().goals.get()
    action = PlanAction.objects.get(what="Käyn tutustumassa kahvilaan")
    other = make_case(by=worker)  # another client's case: none of its rows is read
    other_plan = agreed_plan_with_my_action(other)
    now = timezone.now()
    for number in range(13):
        at = now - timedelta(hours=number % 5)  # ties in time, told apart by id
        Message.objects.create(
            client=case.client,
            case=case,
            author=worker if number % 2 else None,
            text=f"viesti {number}",
            at=at,
        )
        GoalSelfRating.objects.create(
            client=case.client,
            case=case,
            plan=plan,
            goal_key=goal.key,
            level=number % 5 - 2,
            note=f"{number}",
            at=at,
        )
        ActionMark.objects.create(
            client=case.client,
            case=case,
            plan=plan,
            action_key=action.key,
            done=bool(number % 2),
            comment=f"{number}",
            at=at,
        )
    Message.objects.create(client=other.client, case=other, author=None, text="toisen")
    GoalSelfRating.objects.create(
        client=other.client, case=other, plan=other_plan, goal_key=goal.key, level=0, note="toisen"
    )

    with django_assert_num_queries(3):  # the lists, the goals' texts, the actions' texts
        built = team_panel.panel_lists(client, [case.pk])
    read = orm_lists(case.client, [case.pk])
    assert built == read
    assert [len(part) for part in built] == [10, 10, 10]
    assert built[1][0].goal_text == "Haluan päästä työkokeiluun keittiöön"
    assert built[2][0].action_text == "Käyn tutustumassa kahvilaan"
    assert {message.from_client for message in built[0]} == {True, False}
    # Of the cases asked about only.
    assert team_panel.panel_lists(case.client, []) == ([], [], [])
    assert team_panel.panel_lists(other.client, [other.pk]) == orm_lists(other.client, [other.pk])
