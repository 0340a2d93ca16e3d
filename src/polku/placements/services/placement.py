"""Every write to placements themselves (creating, editing, interrupting) and their attendance:
permission, validation, audit and timeline in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts import permissions
from polku.accounts.models import Membership, Unit
from polku.audit import services as audit
from polku.clients import edits, progress, timeline
from polku.clients.models import Case
from polku.core import names, story_time
from polku.placements.models import (
    REGISTER_OF_KIND,
    Attendance,
    AttendanceChange,
    Placement,
    PlacementGoal,
)

__all__ = [
    "KEEP_LINK",
    "PLACEMENT_FIELDS",
    "GoalRow",
    "create_placement",
    "interrupt_placement",
    "record_attendance",
    "update_placement",
]


PLACEMENT_FIELDS = (
    "kind",
    "host_unit",
    "host_name",
    "host_unit_name",
    "supervisor_name",
    "supervisor_email",
    "supervisor_phone",
    "tasks",
    "starts_on",
    "ends_on",
    "days_per_week",
    "hours_per_day",
)


@dataclass(frozen=True)
class GoalRow:
    """A placement goal as the form gives it: its text and the plan goal it serves (None: none)."""

    text: str
    plan_goal: Any = None


KEEP_LINK = object()


def _plan_goal_allowed(placement: Placement, by: Membership, plan_goal: Any) -> None:
    """A placement goal may point only to a goal of an agreed version of this case's service plan, and
    only for someone who may read that plan."""
    from polku.plans.models import Goal

    goal = Goal.objects.select_related("version__plan__client").filter(pk=plan_goal.pk).first()
    if (
        goal is None
        or goal.version.plan.case_id != placement.case_id
        or not goal.version.is_agreed
        or not permissions.can(by, "plan.view", goal.version.plan)
    ):
        raise ValidationError(
            {"goals": _("Link the goals only to goals of this client's agreed service plan.")}
        )


def _set_goals(placement: Placement, goals: Sequence[str | GoalRow], *, by: Membership) -> None:
    """Goals in the order given; an existing goal keeps its row when its place in the list is kept. A
    goal given as plain text keeps its link to a plan goal; a `GoalRow` sets (or clears) it."""
    rows = [goal if isinstance(goal, GoalRow) else GoalRow(goal, KEEP_LINK) for goal in goals]
    wanted = [GoalRow(row.text.strip(), row.plan_goal) for row in rows if row.text.strip()]
    for row in wanted:
        if row.plan_goal is not None and row.plan_goal is not KEEP_LINK:
            _plan_goal_allowed(placement, by, row.plan_goal)
    existing = list(placement.goals.order_by("order", "id"))
    for order, row in enumerate(wanted):
        link_id = None if row.plan_goal is None or row.plan_goal is KEEP_LINK else row.plan_goal.pk
        if order < len(existing):
            goal = existing[order]
            if row.plan_goal is KEEP_LINK:
                link_id = goal.plan_goal_id
            if goal.text != row.text or goal.order != order or goal.plan_goal_id != link_id:
                goal.text, goal.order, goal.plan_goal_id = row.text, order, link_id
                goal.save(update_fields=["text", "order", "plan_goal"])
        else:
            PlacementGoal.objects.create(
                placement=placement, text=row.text, order=order, plan_goal_id=link_id
            )
    PlacementGoal.objects.filter(pk__in=[goal.pk for goal in existing[len(wanted) :]]).delete()


@transaction.atomic
def create_placement(
    *,
    case: Case,
    by: Membership,
    kind: str,
    supervisor_name: str,
    supervisor_email: str,
    tasks: str,
    starts_on: date,
    ends_on: date,
    days_per_week: int,
    hours_per_day: Decimal,
    host_unit: Unit | None = None,
    host_name: str = "",
    host_unit_name: str = "",
    supervisor_phone: str = "",
    goals: Sequence[str | GoalRow] | None = None,
) -> Placement:
    permissions.require(by, "placement.create", case, hide=True)
    placement = Placement(
        case=case,
        client=case.client,
        organisation=case.unit.organisation,
        register=REGISTER_OF_KIND[kind],  # type: ignore[index]
        kind=kind,
        host_unit=host_unit,
        host_name=host_name,
        host_unit_name=host_unit_name,
        supervisor_name=supervisor_name,
        supervisor_email=supervisor_email,
        supervisor_phone=supervisor_phone,
        tasks=tasks,
        starts_on=starts_on,
        ends_on=ends_on,
        days_per_week=days_per_week,
        hours_per_day=hours_per_day,
        created_by=by,
    )
    placement.full_clean(exclude=["case", "client", "organisation", "created_by"])
    placement.save()
    _set_goals(placement, goals or [], by=by)
    audit.record(by, "placement.create", placement, client=case.client)
    timeline.add(
        case.client,
        "placement.created",
        by=by,
        case=case,
        obj=placement,
        register=placement.register,
        params={
            "kind": kind,
            **names.both_of("host", lambda: placement.host_label),
            "starts_on": starts_on.isoformat(),
        },
    )
    _advance_case_if_started(placement, by)
    return placement


def _advance_case_if_started(placement: Placement, by: Membership) -> None:
    """A placement whose first day has come (recorded as such, or with attendance) puts the case's
    services in progress. A placement that reaches its first day untouched moves the case when its
    attendance is first recorded."""
    if placement.starts_on <= timezone.localdate():
        progress.advance_case(placement.case, cause="placement.started", by=by)


@transaction.atomic
def update_placement(
    *,
    placement: Placement,
    by: Membership,
    goals: Sequence[str | GoalRow] | None = None,
    expected_version: str | None = None,
    **changes: Any,
) -> Placement:
    """The placement's details and goals; refused if someone saved it after `expected_version`."""
    permissions.require(by, "placement.manage", placement, hide=True)
    unknown = set(changes) - set(PLACEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Not placement fields: {sorted(unknown)}")
    placement = edits.check_version(
        placement,
        expected_version,
        message=_("%(who)s changed this placement at %(time)s after you opened it."),
        actions=("placement.update", "placement.interrupt"),
    )
    changed = [field for field, value in changes.items() if getattr(placement, field) != value]
    for field, value in changes.items():
        setattr(placement, field, value)
    if "kind" in changed:
        placement.register = REGISTER_OF_KIND[placement.kind]  # type: ignore[index]
        changed.append("register")
    placement.full_clean(exclude=["case", "client", "organisation", "created_by"])
    if {"starts_on", "ends_on"} & set(changed):
        _refuse_days_outside(placement, first=placement.starts_on, last=placement.last_day, field="ends_on")
    if changed or goals is not None:
        # The goals are part of the placement: their change moves its version too.
        placement.save(update_fields=[*changed, "updated_at"])
    if goals is not None:
        _set_goals(placement, goals, by=by)
    audit.record(by, "placement.update", placement, client=placement.client, details={"fields": changed})
    _advance_case_if_started(placement, by)
    return placement


def _refuse_days_outside(placement: Placement, *, first: date, last: date, field: str) -> None:
    """Refuse new dates that would leave recorded attendance days outside the placement: the days are
    named, and the worker clears them first (the clearing is kept in the attendance history)."""
    outside = list(
        placement.attendance.filter(Q(on__lt=first) | Q(on__gt=last))
        .order_by("on")
        .values_list("on", flat=True)
    )
    if outside:
        raise ValidationError(
            {
                field: _(
                    "Attendance is recorded for days outside the new dates: %(days)s. Clear those days in "
                    "the attendance first."
                )
                % {"days": ", ".join(day.strftime("%d.%m.%Y") for day in outside)}
            }
        )


@transaction.atomic
def interrupt_placement(*, placement: Placement, by: Membership, on: date, reason: str) -> Placement:
    """Interrupt the placement from `on`; written once, never undone (a new placement starts again)."""
    permissions.require(by, "placement.manage", placement, hide=True)
    errors: dict[str, str] = {}
    if placement.interrupted_on is not None:
        raise ValidationError(_("The placement has already been interrupted."))
    if not reason.strip():
        errors["reason"] = _("Give the reason for the interruption.")
    if on < placement.starts_on or on > placement.ends_on:
        errors["on"] = _("The interruption date must be within the placement, %(start)s–%(end)s.") % {
            "start": placement.starts_on.strftime("%d.%m.%Y"),
            "end": placement.ends_on.strftime("%d.%m.%Y"),
        }
    if errors:
        raise ValidationError(errors)
    _refuse_days_outside(placement, first=placement.starts_on, last=on, field="on")
    placement.interrupted_on, placement.interruption_reason, placement.interrupted_by = on, reason.strip(), by
    placement.save(update_fields=["interrupted_on", "interruption_reason", "interrupted_by", "updated_at"])
    audit.record(by, "placement.interrupt", placement, client=placement.client)
    timeline.add(
        placement.client,
        "placement.interrupted",
        by=by,
        case=placement.case,
        obj=placement,
        register=placement.register,
        params={"kind": placement.kind, "on": on.isoformat()},
        text=placement.interruption_reason,
    )
    return placement


@transaction.atomic
def record_attendance(*, placement: Placement, by: Membership, days: dict[date, str]) -> int:
    """Set the attendance of the given days (an empty status clears the day); returns how many changed.
    Each change is kept as an `AttendanceChange` history row (day, before, after, who, when). Days
    outside the placement are refused as a whole."""
    permissions.require(by, "placement.record_attendance", placement, hide=True)
    outside = sorted(on for on in days if on < placement.starts_on or on > placement.last_day)
    if outside:
        raise ValidationError(
            _("%(day)s is outside the placement; attendance is recorded only for its days.")
            % {"day": outside[0].strftime("%d.%m.%Y")}
        )
    if any(on > timezone.localdate() for on, status in days.items() if status):
        raise ValidationError(_("Attendance cannot be recorded for days still to come."))
    stored = {row.on: row for row in placement.attendance.filter(on__in=list(days))}
    changed: dict[str, str] = {}
    history: list[AttendanceChange] = []
    now = story_time.now()
    for on, status in sorted(days.items()):
        row = stored.get(on)
        old = row.status if row is not None else ""
        if not status:
            if row is not None:
                row.delete()
        elif row is None:
            Attendance.objects.create(
                placement=placement, on=on, status=status, recorded_by=by, recorded_at=now
            )
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, by, now
            row.save(update_fields=["status", "recorded_by", "recorded_at"])
        if old != (status or ""):
            changed[on.isoformat()] = status or ""
            history.append(
                AttendanceChange(
                    placement=placement, on=on, old_status=old, new_status=status or "", by=by, at=now
                )
            )
    AttendanceChange.objects.bulk_create(history)
    if changed:
        audit.record(
            by, "placement.attendance", placement, client=placement.client, details={"days": changed}
        )
        _advance_case_if_started(placement, by)
    return len(changed)
