"""Reads of placements, scoped by `accounts.permissions` like every read of client data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import BooleanField, Count, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from polku.accounts import permissions
from polku.accounts.models import Membership
from polku.clients import access, export
from polku.clients.models import Case, Client
from polku.placements.models import (
    AttendanceChange,
    AttendanceStatus,
    Feedback,
    FeedbackRequest,
    FeedbackStage,
    Placement,
    PlacementGoal,
)
from polku.placements.services.feedback import hash_token


def placement_for(
    *, viewer: Membership, public_id: uuid.UUID | str, action: str = "placement.view"
) -> Placement:
    """The placement if the viewer may do `action` on it; otherwise the refusal is audited and it is a 404."""
    placement = (
        Placement.objects.select_related(
            "client", "case__unit__organisation", "organisation", "host_unit__organisation"
        )
        .filter(public_id=public_id)
        .first()
    )
    if placement is None:
        raise Http404
    permissions.require(viewer, action, placement, hide=True)
    return placement


def placements_of(client: Client, *, viewer: Membership) -> list[Placement]:
    """The client's placements the viewer may read: their organisation's, or another's under consent."""
    if not (access.works_with_clients(viewer) and access.sees_client(viewer, client)):
        return []
    return list(
        Placement.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client))
        .select_related("host_unit__organisation", "organisation")
    )


def hosted_by(*, viewer: Membership) -> QuerySet[Placement]:
    """The placements the host's unit hosts, newest first, with the stages of feedback already given
    (paginate the result): one query a page."""
    permissions.require(viewer, "placement.host_list")
    return with_feedback_given(Placement.objects.filter(host_unit_id=viewer.unit_id)).select_related("client")


def feedback_stages_open(placement: Placement) -> list[str]:
    """The stages of the host's feedback not given yet, in the form's order."""
    given = set(placement.feedback.values_list("stage", flat=True))
    return [stage for stage in FeedbackStage.values if stage not in given]


@dataclass(frozen=True)
class AttendanceTotals:
    present: int
    absent_with_notice: int
    absent_without_notice: int
    sick: int

    @property
    def recorded(self) -> int:
        return self.present + self.absent_with_notice + self.absent_without_notice + self.sick

    @property
    def absent(self) -> int:
        return self.recorded - self.present

    @property
    def percentage(self) -> int | None:
        """Days present of the days recorded, rounded to a whole per cent; None before any is recorded."""
        return round(100 * self.present / self.recorded) if self.recorded else None


def attendance_totals(placement: Placement) -> AttendanceTotals:
    """The totals of the days within the placement (start .. end or interruption day)."""
    within = placement.attendance.filter(on__gte=placement.starts_on, on__lte=placement.last_day)
    counts = dict(within.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))
    return AttendanceTotals(
        present=counts.get(AttendanceStatus.PRESENT, 0),
        absent_with_notice=counts.get(AttendanceStatus.ABSENT_WITH_NOTICE, 0),
        absent_without_notice=counts.get(AttendanceStatus.ABSENT_WITHOUT_NOTICE, 0),
        sick=counts.get(AttendanceStatus.SICK, 0),
    )


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def attendance_week(placement: Placement, monday: date) -> list[tuple[date, str | None]]:
    """The placement's days in the week starting `monday` with their recorded status (None: not recorded)."""
    days = [monday + timedelta(days=i) for i in range(7)]
    days = [day for day in days if placement.starts_on <= day <= placement.last_day]
    recorded = dict(placement.attendance.filter(on__in=days).values_list("on", "status"))
    return [(day, recorded.get(day)) for day in days]


def goals_of(placement: Placement) -> list[PlacementGoal]:
    """The placement's goals in order, with the plan goal each is linked to (one query)."""
    return list(placement.goals.select_related("plan_goal").order_by("order", "id"))


def readable_plan(case: Case, *, viewer: Membership) -> Any:
    """The case's service plan if the viewer may read it (`plan.view`), else None."""
    from polku.plans.models import ServicePlan

    plan = ServicePlan.objects.select_related("client").filter(case=case).first()
    return plan if plan is not None and permissions.can(viewer, "plan.view", plan) else None


@dataclass(frozen=True)
class PlanGoals:
    """The plan goals the placement form offers, and the plan they are of (for the audit entry)."""

    plan: Any
    goals: list[Any]


def plan_goals_for(case: Case, *, viewer: Membership, linked: list[PlacementGoal] | None = None) -> PlanGoals:
    """The goals of the latest agreed version of the case's service plan, in their current words, for a
    viewer who may read the plan (`plan.view`); none otherwise. A placement goal linked to a goal that
    is no longer in the latest version keeps it on offer, so that saving does not drop the link unseen
    (two queries; `linked` read by `goals_of`)."""
    from polku.plans.models import Goal, PlanVersionStatus

    plan = readable_plan(case, viewer=viewer)
    if plan is None:
        return PlanGoals(None, [])
    latest = plan.versions.filter(status=PlanVersionStatus.AGREED).order_by("-number").values("pk")[:1]
    goals = list(Goal.objects.filter(version__in=latest).order_by("position", "id"))
    keys = {goal.key for goal in goals}
    for placement_goal in linked or []:
        kept = placement_goal.plan_goal
        if kept is not None and kept.key not in keys:
            goals.append(kept)
            keys.add(kept.key)
    return PlanGoals(plan if goals else None, goals)


def chosen_plan_goals(plan_goals: PlanGoals, linked: list[PlacementGoal]) -> dict[int, str]:
    """For each linked placement goal (by its id), the public id of the plan goal the form shows as
    chosen: the goal with the same key in the latest agreed version."""
    by_key = {goal.key: goal for goal in reversed(plan_goals.goals)}
    return {
        placement_goal.pk: str(by_key[placement_goal.plan_goal.key].public_id)
        for placement_goal in linked
        if placement_goal.plan_goal is not None and placement_goal.plan_goal.key in by_key
    }


def attendance_changes_of(placement: Placement, *, limit: int = 20) -> list[AttendanceChange]:
    """The latest corrections of recorded days (a changed or cleared day, not a first recording),
    newest first, with who made them (one query)."""
    return list(
        placement.attendance_changes.exclude(old_status="")
        .select_related("by__user", "by__unit__organisation")
        .order_by("-at", "-id")[:limit]
    )


def readable_feedback(client: Client, *, viewer: Membership) -> QuerySet[Feedback]:
    """The host feedback of the client's placements that the viewer may read (`placement.view`: they
    see the client, and the placement is their organisation's or disclosed to it under consent),
    newest first, with the placement and its host."""
    if not (access.works_with_clients(viewer) and access.sees_client(viewer, client)):
        return Feedback.objects.none()
    placements = Placement.objects.filter(client=client).filter(
        access.disclosed_records(viewer, client=client)
    )
    return (
        Feedback.objects.filter(placement__in=placements)
        .select_related("placement__host_unit__organisation")
        .order_by("-submitted_at", "-id")
    )


def feedback_of(placement: Placement) -> list[Feedback]:
    return list(placement.feedback.order_by("submitted_at", "id"))


def feedback_requests_of(placement: Placement) -> list[FeedbackRequest]:
    return list(placement.feedback_requests.select_related("sent_by__user").order_by("-sent_at", "-id"))


def feedback_request_for_token(token: str) -> FeedbackRequest | None:
    """The request the token opens, whatever its state; None for a token nobody was given."""
    if not token or len(token) > 100:
        return None
    return (
        FeedbackRequest.objects.select_related("placement__client", "placement__host_unit__organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def feedback_request_by_pk(pk: Any) -> FeedbackRequest | None:
    if not isinstance(pk, int):
        return None
    return (
        FeedbackRequest.objects.select_related("placement__client", "placement__host_unit__organisation")
        .filter(pk=pk)
        .first()
    )


def listed(client: Client, *, viewer: Membership) -> QuerySet[Placement]:
    """The client's placements the viewer may read, newest first, with whether the host has given
    feedback: the overview panel's newest and the client's placements page."""
    return with_feedback_given(
        Placement.objects.filter(client=client).filter(access.disclosed_records(viewer, client=client))
    )


def with_feedback_given(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """With whether the host has given mid-term and final feedback. The two EXISTS are written as SQL
    (`RawSQL`, core.sql): the client overview shows them on every request, and the ORM took longer to
    build them than the rest of the panel's query. `placements_placement` is the outer query's table."""

    def given(stage: str) -> RawSQL:
        return RawSQL(
            "EXISTS (SELECT 1 FROM placements_feedback feedback "
            "WHERE feedback.placement_id = placements_placement.id AND feedback.stage = %s)",
            [stage],
            output_field=BooleanField(),
        )

    return (
        placements.select_related("host_unit__organisation")
        .annotate(
            has_mid_term_feedback=given(FeedbackStage.MID_TERM.value),
            has_final_feedback=given(FeedbackStage.FINAL.value),
        )
        .order_by("-starts_on", "-id")
    )


def with_totals(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Totals of the days within each placement (start .. end or interruption day), as attendance_totals."""
    within = (
        Q(attendance__on__gte=F("starts_on"))
        & Q(attendance__on__lte=F("ends_on"))
        & (Q(interrupted_on__isnull=True) | Q(attendance__on__lte=F("interrupted_on")))
    )
    return placements.annotate(
        **{
            f"count_{status}": Count("attendance", filter=within & Q(attendance__status=status))
            for status in AttendanceStatus.values
        }
    )


def totals_of(placement: Placement) -> AttendanceTotals:
    """Totals from a placement read through `with_totals`."""
    return AttendanceTotals(
        present=getattr(placement, f"count_{AttendanceStatus.PRESENT}"),
        absent_with_notice=getattr(placement, f"count_{AttendanceStatus.ABSENT_WITH_NOTICE}"),
        absent_without_notice=getattr(placement, f"count_{AttendanceStatus.ABSENT_WITHOUT_NOTICE}"),
        sick=getattr(placement, f"count_{AttendanceStatus.SICK}"),
    )


def for_export(client: Client, viewer: Membership | None) -> list[dict[str, Any]]:
    """The client's placements the viewer may read, with attendance totals, goals and the host's
    feedback (three queries whatever their number; one when there are none); every one without a viewer
    (the client's own download)."""
    if viewer is not None and not (access.works_with_clients(viewer) and access.sees_client(viewer, client)):
        return []
    placements = with_totals(
        Placement.objects.filter(client=client)
        .filter(access.disclosed_records(viewer, client=client) if viewer is not None else Q())
        .select_related("host_unit__organisation")
        .prefetch_related(
            "goals", Prefetch("feedback", queryset=Feedback.objects.order_by("submitted_at", "id"))
        )
    )
    rows = []
    for placement in placements:
        totals = totals_of(placement)
        rows.append(
            {
                "summary": f"{placement.get_kind_display()}: {placement.host_label}, "
                f"{placement.starts_on.isoformat()}–{placement.ends_on.isoformat()}",
                "kind": placement.get_kind_display(),
                "host": placement.host_label,
                "tasks": placement.tasks,
                "starts_on": placement.starts_on.isoformat(),
                "ends_on": placement.ends_on.isoformat(),
                "interrupted_on": placement.interrupted_on.isoformat() if placement.interrupted_on else None,
                "interruption_reason": placement.interruption_reason,
                "goals": [goal.text for goal in placement.goals.all()],
                "days_present": totals.present,
                "days_absent": totals.absent,
                "feedback": [
                    {
                        "stage": feedback.get_stage_display(),
                        "submitted_at": export.when(feedback.submitted_at),
                        "ratings": dict(feedback.rating_rows()),
                        "strengths": feedback.strengths,
                        "to_develop": feedback.to_develop,
                        "recommendation": feedback.get_recommendation_display(),
                        "recommendation_note": feedback.recommendation_note,
                    }
                    for feedback in placement.feedback.all()
                ],
            }
        )
    return rows
