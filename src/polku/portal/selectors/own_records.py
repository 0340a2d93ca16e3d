"""The client's own entries in their Polku as a section of the client's data export
(`clients.export.ExportSection`): their messages with the team, their own goal ratings and their marks
on their actions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import Membership
from polku.clients.export import when
from polku.clients.models import CaseTeamMember, Client
from polku.plans.models import Goal, PlanAction
from polku.portal.models import ActionMark, GoalSelfRating, Message


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """Every entry for the client themself (`viewer=None`, their own download); for a staff viewer those
    on the cases whose team they are on now, as the client overview's panel shows them. Three queries,
    and one more each for the goals' and the actions' texts when there are ratings or marks."""
    messages: QuerySet[Message] = Message.objects.filter(client=client)
    ratings: QuerySet[GoalSelfRating] = GoalSelfRating.objects.filter(client=client)
    marks: QuerySet[ActionMark] = ActionMark.objects.filter(client=client)
    if viewer is not None:
        teams = CaseTeamMember.objects.filter(
            membership=viewer,
            ended_on__isnull=True,
            started_on__lte=timezone.localdate(),
            case__client=client,
        ).values("case_id")
        messages, ratings, marks = (
            messages.filter(case_id__in=teams),
            ratings.filter(case_id__in=teams),
            marks.filter(case_id__in=teams),
        )
    records: list[dict[str, Any]] = []
    for message in messages.select_related("author__user", "case__unit__organisation").order_by("at", "id"):
        sender = str(message.author.user) if message.author else client.full_name
        records.append(
            {
                "summary": _("Message %(at)s from %(sender)s: %(text)s")
                % {"at": when(message.at), "sender": sender, "text": message.text},
                "kind": "message",
                "at": when(message.at),
                "from": sender,
                "organisation": message.case.unit.organisation.display_name,
                "text": message.text,
            }
        )
    own_ratings = list(ratings.order_by("at", "id"))
    goals = (
        dict(Goal.objects.filter(key__in=[r.goal_key for r in own_ratings]).values_list("key", "text"))
        if own_ratings
        else {}
    )
    for rating in own_ratings:
        goal = goals.get(rating.goal_key, "")
        records.append(
            {
                "summary": _("Own rating %(at)s of the goal “%(goal)s”: %(level)s")
                % {"at": when(rating.at), "goal": goal, "level": f"{rating.level:+d}"},
                "kind": "own_goal_rating",
                "at": when(rating.at),
                "goal": goal,
                "level": rating.level,
                "note": rating.note,
            }
        )
    own_marks = list(marks.order_by("at", "id"))
    actions = (
        dict(PlanAction.objects.filter(key__in=[m.action_key for m in own_marks]).values_list("key", "what"))
        if own_marks
        else {}
    )
    for mark in own_marks:
        action = actions.get(mark.action_key, "")
        records.append(
            {
                "summary": _("Own mark %(at)s on the action “%(action)s”: %(state)s")
                % {
                    "at": when(mark.at),
                    "action": action,
                    "state": _("done") if mark.done else _("not done yet"),
                },
                "kind": "own_action_mark",
                "at": when(mark.at),
                "action": action,
                "done": mark.done,
                "comment": mark.comment,
            }
        )
    return records
