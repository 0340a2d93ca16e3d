"""The team's side: the client overview's panel of the client's messages, ratings, marks and requests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients.models import Case, CaseTeamMember, Client
from polku.instruments import selectors as instrument_selectors
from polku.plans.models import (
    Goal,
    PlanAction,
    PlanVersion,
    PlanVersionStatus,
)
from polku.portal.models import (
    ActionMark,
    GoalSelfRating,
    Message,
    QuestionnaireRequest,
)


def panel(client: Client, current_case: Case | None, viewer: Membership) -> dict[str, Any] | None:
    """The client overview's panel for a team member (`portal.message.view`): the messages with the
    client on the cases whose team the viewer is on now, and the client's own goal ratings and action
    marks on those cases' plans. Three queries (the goals' and actions' texts only when there are some)."""
    if not permissions.can(viewer, "portal.message.view", client):
        return None
    teams = CaseTeamMember.objects.filter(
        membership=viewer, ended_on__isnull=True, started_on__lte=timezone.localdate(), case__client=client
    ).values("case_id")
    messages = list(
        Message.objects.filter(client=client, case_id__in=teams)
        .select_related("author__user")
        .order_by("-at", "-id")[:10]
    )
    ratings = list(
        GoalSelfRating.objects.filter(client=client, case_id__in=teams).order_by("-at", "-id")[:10]
    )
    if ratings:
        texts = dict(Goal.objects.filter(key__in=[r.goal_key for r in ratings]).values_list("key", "text"))
        for rating in ratings:
            rating.goal_text = texts.get(rating.goal_key, "")  # type: ignore[attr-defined]
    marks = list(ActionMark.objects.filter(client=client, case_id__in=teams).order_by("-at", "-id")[:10])
    if marks:
        whats = dict(
            PlanAction.objects.filter(key__in=[m.action_key for m in marks]).values_list("key", "what")
        )
        for mark in marks:
            mark.action_text = whats.get(mark.action_key, "")  # type: ignore[attr-defined]
    can_answer = current_case is not None and permissions.can(viewer, "portal.message.send", current_case)
    draft = (
        PlanVersion.objects.filter(plan__case=current_case, status=PlanVersionStatus.DRAFT)
        .order_by("-number")
        .first()
        if current_case is not None and permissions.can(viewer, "plan.edit", current_case)
        else None
    )
    # The answers are records of the case unit's organisation (of the instrument's register): only that
    # organisation's team members see the requests and ask new ones.
    own = viewer.unit.organisation_id
    requests = list(
        QuestionnaireRequest.objects.filter(client=client, case_id__in=teams, case__unit__organisation_id=own)
        .select_related("version", "response__band")
        .order_by("-requested_at", "-id")[:10]
    )
    can_request = (
        current_case is not None
        and current_case.unit.organisation_id == own
        and permissions.can(viewer, "portal.questionnaire.request", current_case)
    )
    return {
        "portal_requests": requests,
        "portal_plan_draft": draft,
        "portal_instruments": instrument_selectors.published_versions() if can_request else [],
        "portal_request_case": current_case if can_request else None,
        "portal_messages": messages,
        "portal_ratings": ratings,
        "portal_marks": marks,
        "portal_case": current_case if can_answer else None,
    }
